"""The imports bucket in the merge template: the bucket, and its uploads' S3 event."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.policies import IMPORTS_BUCKET_NAME


def bucket_resource(bucket: resources.Bucket) -> dict[str, Any]:
    """Private (public access blocked, owner-enforced), encrypted, objects expiring."""
    return {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "BucketName": IMPORTS_BUCKET_NAME,
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {
                        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"},
                        "BucketKeyEnabled": True,
                    }
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "expire-imports",
                        "Status": "Enabled",
                        "ExpirationInDays": bucket.expire_days,
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                    }
                ]
            },
        },
    }


def import_source(res: dict[str, Any]) -> None:
    """The imports bucket's uploads invoke the import function (SAM's S3 event)."""
    function = res[resources.IMPORT_FUNCTION]["Properties"]
    function["Timeout"] = 900
    function["MemorySize"] = 1024
    function["Events"] = {
        f"{resources.IMPORT_FUNCTION}Upload": {
            "Type": "S3",
            "Properties": {
                "Bucket": {"Ref": resources.IMPORTS_BUCKET.logical_id},
                "Events": "s3:ObjectCreated:*",
                "Filter": {
                    "S3Key": {
                        "Rules": [
                            {"Name": "prefix", "Value": resources.IMPORT_UPLOAD_PREFIX},
                            {"Name": "suffix", "Value": resources.IMPORT_UPLOAD_SUFFIX},
                        ]
                    }
                },
            },
        }
    }
