"""Send raw MIME mail through SES (v2)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo_errors import error_code
from chalicelib.services.exceptions import SendFailed, Unavailable


class SesSender:
    """Implements :class:`chalicelib.services.ports.MailSender`."""

    def __init__(self, client: Any, configuration_set: str | None = None) -> None:
        self._client = client
        self._configuration_set = configuration_set

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str:
        """Send ``raw`` to ``recipient``; returns the SES message id."""
        arguments: dict[str, Any] = {
            "FromEmailAddress": sender,
            "Destination": {"ToAddresses": [recipient]},
            "Content": {"Raw": {"Data": raw}},
        }
        if self._configuration_set:
            arguments["ConfigurationSetName"] = self._configuration_set
        try:
            response = self._client.send_email(**arguments)
        except ClientError as error:
            raise SendFailed(error_code(error) or "ClientError") from error
        except Unavailable as error:
            if error.status is None:
                raise  # no answer: the mail may have gone out, so it is not given back
            raise SendFailed(error.code) from error  # SES answered 5xx: nothing was sent
        return str(response["MessageId"])
