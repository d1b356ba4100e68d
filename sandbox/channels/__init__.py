"""How each platform beyond Meta and Typeform delivers a generated person, in its real shape
(and how an imported list arrives: rows of a file).

Each module has `write(gen, data, person, at) -> record id`, appending one record to
`data.streams[<platform>][<stream>]`, plus the platform's fixed objects (forms, questions).
"""

from types import ModuleType

from sandbox.channels import (
    google_ads,
    gotowebinar,
    hubspot_forms,
    imports,
    intercom,
    linkedin_lead_sync,
    tally,
    zoom,
)

CHANNELS: dict[str, ModuleType] = {
    "hubspot_forms": hubspot_forms,
    "linkedin_lead_sync": linkedin_lead_sync,
    "google_ads": google_ads,
    "zoom": zoom,
    "gotowebinar": gotowebinar,
    "tally": tally,
    "intercom": intercom,
    "imports": imports,
}
