"""Meta's Graph API signals errors in the body, not the status: the codes both wings act on."""

import requests

EXPIRED_TOKEN_CODE = 190
# Rate limiting: application, user, page and ad-account limits, and the business use cases.
THROTTLING_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})


def graph_error_code(response: requests.Response) -> int | None:
    """The `error.code` of a Graph error body, or None."""
    try:
        return response.json().get("error", {}).get("code")
    except (ValueError, AttributeError):
        return None
