"""Real-looking Shopify exports (byte for byte as Shopify writes them: BOM, CRLF)."""

from __future__ import annotations

CUSTOMER_HEADER = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,"
    "Tax Exempt,Tags"
)
CUSTOMERS_CSV = (
    "\ufeff" + CUSTOMER_HEADER + "\r\n"
    '\'7353446383901,Li,Wei,li.wei@example.com,yes,"Wei & Sons, Ltd",88 Nanjing Rd,,'
    'Shanghai,SH,CN,200001,,+8613800138000,no,120.50,2,"Prefers mornings,\r\n'
    'call first",no,vip\r\n'
    "'7353446383902,Ann,O'Brien,ann@example.com,no,,1 Main St,,Dublin,,IE,D01,,,no,"
    "0.00,0,,no,\r\n"
)

ORDER_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,Id,Tags"
)


def order_csv_row(**values: str) -> str:
    """One row of the orders export, every column not given left empty."""
    columns = ORDER_HEADER.split(",")
    unknown = set(values) - {c.replace(" ", "_").lower() for c in columns}
    assert not unknown, unknown
    cells = [values.get(c.replace(" ", "_").lower(), "") for c in columns]
    return ",".join(cells) + "\r\n"


ORDERS_CSV = (
    "\ufeff"
    + ORDER_HEADER
    + "\r\n"
    + order_csv_row(
        name="#1001",
        email="li.wei@example.com",
        financial_status="paid",
        paid_at="2024-03-05 14:05:00 +0800",
        fulfillment_status="fulfilled",
        currency="CNY",
        subtotal="328.00",
        shipping="10.00",
        total="338.00",
        created_at="2024-03-05 14:02:11 +0800",
        lineitem_quantity="2",
        lineitem_name='"Green tea, 250 g"',
        lineitem_price="99.00",
        lineitem_sku="TEA-250",
        billing_name='"Wei, Li"',
        notes='"Leave at the door,\r\nring twice"',
        payment_method="Shopify Payments",
        vendor="Leaf Co",
        id="5523402801437",
    )
    + order_csv_row(
        name="#1001",
        email="li.wei@example.com",
        lineitem_quantity="1",
        lineitem_name="Teapot",
        lineitem_price="130.00",
        lineitem_sku="POT-1",
        vendor="Clayworks",
    )
    + order_csv_row(
        name="#1002",
        email="ann@example.com",
        financial_status="pending",
        currency="CNY",
        created_at="2024-04-01 09:00:00 +0100",
        lineitem_quantity="1",
        lineitem_name="Mug",
        lineitem_price="45.50",
        payment_method="Cash on Delivery (COD)",
        id="5523402801438",
    )
)
