"""Seeded generator of realistic, messy multichannel leads, with the ground truth kept.

The same person shows up on several channels with the differences real data has: email case and
spacing, phone formats (+33 6.., 06.., 0033..), casing and dropped accents in names, consent
given, missing or given for the newsletter only, invalid / disposable / free-mail addresses and
platform test leads. `SandboxData.truth` maps every generated record to the person behind it.
"""

import random
import string
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sandbox.channels import CHANNELS, ad_spend
from sandbox.form_questions import FormQuestions

META_FORMS = ("1100000000000001", "1100000000000002")
TYPEFORM_FORMS = ("contactUs", "ebookFr")
META_CAMPAIGNS = (
    ("23850000000000101", "Prospection FR - Q4"),
    ("23850000000000102", "Retargeting EN - Webinar"),
)
KNOWN_UTM_SOURCES = ("google", "linkedin", "newsletter", "facebook")
UNKNOWN_UTM_SOURCES = ("partner-xyz", "salon-lyon-flyer")

FIRST_NAMES_FR = (
    "Hélène",
    "François",
    "Chloé",
    "Noël",
    "Jérôme",
    "Amélie",
    "Léa",
    "Benoît",
    "Zoé",
    "Mathéo",
    "Camille",
    "Étienne",
    "Inès",
    "Gaëlle",
    "Loïc",
    "Thérèse",
    "Raphaël",
    "Maëlys",
    "Céline",
    "Hugo",
)
FIRST_NAMES_EN = (
    "Olivia",
    "James",
    "Amelia",
    "Harry",
    "Isla",
    "George",
    "Emily",
    "Jack",
    "Sophie",
    "Oliver",
    "Grace",
    "Thomas",
    "Ella",
    "William",
    "Lucy",
    "Henry",
    "Chloe",
    "Samuel",
    "Ava",
    "Daniel",
)
LAST_NAMES_FR = (
    "Dupont",
    "Lefèvre",
    "Bérard",
    "Moreau",
    "Girard",
    "Lemaître",
    "Rousseau",
    "Faure",
    "Gauthier",
    "Mercier",
    "Chevalier",
    "Bonnaud",
    "Lacroix",
    "Fontaine",
    "Périer",
    "Dubœuf",
    "Garnier",
)
LAST_NAMES_EN = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
)
COMPANIES = (
    ("Acme Industrie", "acme-industrie.fr"),
    ("Boulangeries Réunies", "boulangeries-reunies.fr"),
    ("Nordlys Logistics", "nordlys.co.uk"),
    ("Atelier Numérique", "ateliernumerique.fr"),
    ("Brightwave Software", "brightwave.io"),
    ("Cabinet Martin & Associés", "cabinet-martin.fr"),
    ("Helix Biotech", "helixbio.com"),
    ("Transports Vasseur", "vasseur-transports.fr"),
    ("Oakridge Consulting", "oakridge-consulting.co.uk"),
    ("Solaire du Sud", "solairedusud.fr"),
)
JOB_TITLES = (
    "CEO",
    "Directeur commercial",
    "Head of Marketing",
    "Responsable marketing",
    "VP Sales",
    "Marketing Manager",
    "Chef de projet",
    "Data Analyst",
    "Office Manager",
    "Stagiaire",
    "Directrice des opérations",
    "Sales Manager",
    "Fondateur",
    "Consultant",
    "Student",
)
# Traps for identity resolution: colleagues sharing a role inbox or the switchboard's number
# (French companies), and people giving a personal address on some forms.
ROLE_INBOX_SHARE = 0.03
SWITCHBOARD_SHARE = 0.05
PERSONAL_ADDRESS_SHARE = 0.05
FR_MOBILE_PREFIXES = ("60", "61", "62", "64", "65", "66", "67", "68", "73", "75", "76", "77", "78")
FREE_MAIL = ("gmail.com", "yahoo.fr", "hotmail.com", "orange.fr", "outlook.com")
DISPOSABLE = ("mailinator.com", "yopmail.com")
CONSENT_PROFILES = (  # (sales contact, newsletter), weight; None = question left unanswered
    ((True, True), 35),
    ((False, True), 20),
    ((True, False), 10),
    ((False, False), 15),
    ((None, None), 20),
)
CHANNEL_WEIGHTS = {  # share of records per platform
    "meta_lead_ads": 24,
    "typeform": 22,
    "hubspot_forms": 12,
    "linkedin_lead_sync": 12,
    "google_ads": 10,
    "zoom": 12,
    "gotowebinar": 8,
    "tally": 8,
    "intercom": 8,
    "imports": 6,
}
META_TEST_VALUE = "<test lead: dummy data for {}>"


@dataclass
class Person:
    """The true person behind one or more generated records."""

    person_id: str
    first_name: str
    last_name: str
    email: str | None
    personal_email: str | None  # given instead of `email` on about half of the forms
    phone_digits: str | None  # national significant number
    country: str
    company: str | None
    job_title: str | None
    consent_sales: bool | None
    consent_newsletter: bool | None
    wants_demo: bool

    @property
    def message(self) -> str | None:
        """What a person asking for a demo writes in a form's free-text field."""
        if not self.wants_demo:
            return None
        return f"Bonjour,\nPourriez-vous nous présenter une démo ? ({self.company or 'équipe'})"


@dataclass
class SandboxData:
    """Everything the stand-ins serve, plus the truth: (platform, record id) -> person id."""

    now: datetime
    meta_leads: dict[str, list[dict]] = field(default_factory=dict)
    typeform_responses: dict[str, list[dict]] = field(default_factory=dict)
    # the other platforms: platform -> stream (form, account, webinar) -> records
    streams: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    truth: dict[tuple[str, str], str] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    # what each form's owner named its questions: the demo's field mapping reads it back
    questions: FormQuestions = field(default_factory=lambda: FormQuestions(0))

    def records(self, platform: str) -> dict[str, list[dict]]:
        """One platform's records per stream."""
        if platform == "meta_lead_ads":
            return self.meta_leads
        if platform == "typeform":
            return self.typeform_responses
        return self.streams.setdefault(platform, {})

    @property
    def record_count(self) -> int:
        return len(self.truth)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _slug(text: str) -> str:
    return "".join(c for c in _strip_accents(text).lower() if c.isalnum())


class Generator:
    """Deterministic for a given seed and `now`: the same call gives the same records."""

    def __init__(self, seed: int = 42, now: datetime | None = None):
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self._next_meta_id = 1_200_000_000_000_000 + seed * 10_000_000
        self._people = 0

    def generate(self, leads: int, days: int = 30) -> SandboxData:
        """About `leads` source records from about leads / 1.4 people over the last `days`."""
        data = SandboxData(now=self.now, questions=FormQuestions(self.seed))
        data.meta_leads = {form: [] for form in META_FORMS}
        data.typeform_responses = {form: [] for form in TYPEFORM_FORMS}
        for name, channel in CHANNELS.items():
            for platform in (getattr(channel, "PLATFORM", name), *getattr(channel, "ALSO", ())):
                data.streams[platform] = {stream: [] for stream in channel.STREAMS}
        self.add(data, leads, start=self.now - timedelta(days=days), end=self.now)
        ad_spend.write_spend(
            self.rng, data, self.now - timedelta(days=days), self.now, META_CAMPAIGNS
        )
        return data

    def add(
        self,
        data: SandboxData,
        leads: int,
        start: datetime,
        end: datetime,
        channels: tuple[str, ...] | None = None,
    ) -> None:
        """Append about `leads` new records captured between start and end (new people only),
        on the given channels (default: all)."""
        writers = {name: self._writer(name) for name in channels or CHANNEL_WEIGHTS}
        weights = [CHANNEL_WEIGHTS[name] for name in writers]
        target = len(data.truth) + leads
        while len(data.truth) < target:
            person = self._person()
            data.people[person.person_id] = person
            appearances = self.rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
            for _ in range(min(appearances, target - len(data.truth))):
                at = start + (end - start) * self.rng.random()
                at_second = at.replace(microsecond=0)
                channel = self.rng.choices(list(writers), weights)[0]
                platform = getattr(CHANNELS.get(channel), "PLATFORM", channel)
                record_id = writers[channel](data, person, at_second)
                if record_id is None:  # the platform would not take this person: a web form
                    platform = "typeform"
                    record_id = self._typeform(data, person, at_second)
                data.truth[(platform, record_id)] = person.person_id

    # --- people -------------------------------------------------------------------------------

    def _person(self) -> Person:
        rng = self.rng
        self._people += 1
        french = rng.random() < 0.6
        first = rng.choice(FIRST_NAMES_FR if french else FIRST_NAMES_EN)
        last = rng.choice(LAST_NAMES_FR if french else LAST_NAMES_EN)
        country = "FR" if french else rng.choice(("GB", "GB", "US"))
        b2b = rng.random() < 0.75
        company, domain = rng.choice(COMPANIES) if b2b else (None, None)
        local = f"{_slug(first)}.{_slug(last)}{self._people}"
        roll = rng.random()
        if roll < 0.04:
            email = None
        elif roll < 0.07:
            email = f"{local}@{rng.choice(DISPOSABLE)}"
        elif roll < 0.10:
            email = rng.choice((f"{local}@gmail", f"{local} @acme.fr", f"{local}.acme.fr"))
        elif b2b and rng.random() < ROLE_INBOX_SHARE:
            email = f"contact@{domain}"
        elif b2b and rng.random() < 0.8:
            email = f"{local}@{domain}"
        else:
            email = f"{local}@{rng.choice(FREE_MAIL)}"
        phone = None
        if rng.random() < 0.7:
            if country == "FR" and b2b and rng.random() < SWITCHBOARD_SHARE:
                phone = "1" + f"{COMPANIES.index((company, domain)):02d}" + "000000"
            elif country == "FR":
                phone = rng.choice(FR_MOBILE_PREFIXES) + "".join(rng.choices(string.digits, k=7))
            elif country == "GB":
                phone = "79" + "".join(rng.choices(string.digits, k=8))
            else:
                phone = (
                    rng.choice(("212", "415", "617", "312"))
                    + rng.choice("23456789")
                    + "".join(rng.choices(string.digits, k=6))
                )
        profile = rng.choices(*zip(*CONSENT_PROFILES, strict=True))[0]
        return Person(
            person_id=f"P{self._people:07d}",
            first_name=first,
            last_name=last,
            email=email,
            personal_email=(
                f"{_slug(first)}.{_slug(last)}.{self._people}@gmail.com"
                if email and rng.random() < PERSONAL_ADDRESS_SHARE
                else None
            ),
            phone_digits=phone,
            country=country,
            company=company,
            job_title=rng.choice(JOB_TITLES) if b2b else rng.choice((None, "Student")),
            consent_sales=profile[0],
            consent_newsletter=profile[1],
            wants_demo=b2b and rng.random() < 0.12,
        )

    def _writer(self, platform: str):
        if platform in ("meta_lead_ads", "typeform"):
            return getattr(self, f"_{platform}")
        write = CHANNELS[platform].write
        return lambda data, person, at: write(self, data, person, at)

    def typed(self, person: Person) -> dict:
        """A person's details as one form fill delivers them: messy, sometimes missing."""
        unreachable = self._unreachable()
        return {
            "first_name": self._name_as_typed(person.first_name),
            "last_name": self._name_as_typed(person.last_name),
            "email": None if unreachable else self._email_as_typed(person),
            "phone": None if unreachable else self._phone_as_typed(person),
            "company": person.company,
            "job_title": person.job_title,
            "country": person.country,
        }

    # --- the messy way each channel delivers a person ------------------------------------------

    def _email_as_typed(self, person: Person) -> str | None:
        if person.email is None:
            return None
        if person.personal_email and self.rng.random() < 0.5:
            return person.personal_email
        local, _, domain = person.email.partition("@")
        if domain == "gmail.com" and self.rng.random() < 0.3:  # the same Gmail mailbox
            return self.rng.choice((f"{local.replace('.', '')}@{domain}", f"{local}+pro@{domain}"))
        variant = self.rng.random()
        if variant < 0.15:
            return person.email.upper()
        if variant < 0.3:
            return f"  {local.capitalize()}@{domain.capitalize()} "
        return person.email

    def _phone_as_typed(self, person: Person) -> str | None:
        digits = person.phone_digits
        if digits is None or self.rng.random() < 0.15:
            return None
        if person.country == "FR":
            pairs = " ".join(digits[i : i + 2] for i in range(1, 9, 2))
            return self.rng.choice(
                (
                    f"+33 {digits[0]} {pairs}",
                    f"0{digits[0]} {pairs}",
                    f"0033{digits}",
                    f"+33{digits}",
                    f"0{digits[0]}.{pairs.replace(' ', '.')}",
                )
            )
        if person.country == "GB":
            return self.rng.choice((f"+44 {digits[:4]} {digits[4:]}", f"0{digits}"))
        return f"+1 ({digits[:3]}) {digits[3:6]}-{digits[6:]}"

    def _name_as_typed(self, name: str) -> str:
        variant = self.rng.random()
        if variant < 0.1:
            return name.upper()
        if variant < 0.2:
            return name.lower()
        if variant < 0.3:
            return _strip_accents(name)
        return name

    def _unreachable(self) -> bool:
        """About 1% of records carry neither email nor phone: they must be quarantined."""
        return self.rng.random() < 0.01

    def _meta_lead_ads(self, data: SandboxData, person: Person, at: datetime) -> str:
        rng = self.rng
        self._next_meta_id += rng.randint(1, 50)
        lead_id = str(self._next_meta_id)
        form_id = rng.choice(META_FORMS)
        campaign_id, campaign_name = rng.choice(META_CAMPAIGNS)
        is_test = rng.random() < 0.01
        unreachable = self._unreachable()
        fields = {
            "full_name": f"{self._name_as_typed(person.first_name)} "
            f"{self._name_as_typed(person.last_name)}",
            "email": None if unreachable else self._email_as_typed(person),
            "phone_number": None if unreachable else self._phone_as_typed(person),
            "company_name": person.company,
            "job_title": person.job_title,
            "country": person.country,
        }
        if is_test:
            fields = {name: META_TEST_VALUE.format(name) for name in fields}
        disclaimers = [
            {
                "checkbox_key": data.questions.name("meta_lead_ads", form_id, purpose),
                "is_checked": rng.choice(("1", "true")) if given else "0",
            }
            for purpose, given in (
                ("consent:sales_contact", person.consent_sales),
                ("consent:email_marketing", person.consent_newsletter),
            )
            if given is not None
        ]
        organic = rng.random() < 0.1
        lead = {
            "id": lead_id,
            "created_time": at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "ad_id": None if organic else f"2385000000{rng.randint(1000, 9999)}",
            "ad_name": None if organic else "Carousel - Livre blanc",
            "adset_id": None if organic else "23850000000009",
            "adset_name": None if organic else "Décideurs PME",
            "campaign_id": None if organic else campaign_id,
            "campaign_name": None if organic else campaign_name,
            "form_id": form_id,
            "is_organic": organic,
            "platform": rng.choice(("fb", "ig")),
            "field_data": [
                {"name": name, "values": [value]}
                for name, value in fields.items()
                if value is not None
            ],
            "custom_disclaimer_responses": disclaimers,
        }
        data.meta_leads[form_id].append(lead)
        return lead_id

    def fill_typeform(self, data: SandboxData, person: Person, at: datetime) -> str:
        """One Typeform response giving exactly the person's details (the phone as a French
        number), recorded in the truth: tests build identity cases with it."""
        record_id = self._typeform(data, person, at, exact=True)
        data.people.setdefault(person.person_id, person)
        data.truth[("typeform", record_id)] = person.person_id
        return record_id

    def _typeform(self, data: SandboxData, person: Person, at: datetime, exact=False) -> str:
        rng = self.rng
        token = "".join(rng.choices(string.ascii_lowercase + string.digits, k=32))
        form_id = rng.choice(TYPEFORM_FORMS)
        unreachable = not exact and self._unreachable()

        def ref(field: str) -> str:
            return data.questions.name("typeform", form_id, field)

        answers = [
            _text_answer(ref("first_name"), self._name_as_typed(person.first_name)),
            _text_answer(ref("last_name"), self._name_as_typed(person.last_name)),
        ]
        if exact:
            email, phone = person.email, person.phone_digits and f"+33{person.phone_digits}"
        else:
            email = None if unreachable else self._email_as_typed(person)
            phone = None if unreachable else self._phone_as_typed(person)
        if email is not None:  # email and phone fields map by their type, whatever their ref
            answers.append(
                {
                    "field": {"id": "fEmail01", "ref": f"{form_id}_mail", "type": "email"},
                    "type": "email",
                    "email": email,
                }
            )
        if phone is not None:
            answers.append(
                {
                    "field": {"id": "fPhone01", "ref": f"{form_id}_tel", "type": "phone_number"},
                    "type": "phone_number",
                    "phone_number": phone,
                }
            )
        if person.company:
            answers.append(_text_answer(ref("company"), person.company))
        if person.job_title:
            answers.append(_text_answer(ref("job_title"), person.job_title))
        if person.message:
            answers.append(_text_answer(ref("message"), person.message, "long_text"))
        answers.append(
            {
                "field": {"id": "fCountry1", "ref": ref("country"), "type": "dropdown"},
                "type": "choice",
                "choice": {"label": person.country},
            }
        )
        for purpose, given in (
            ("consent:sales_contact", person.consent_sales),
            ("consent:email_marketing", person.consent_newsletter),
        ):
            if given is not None:
                answers.append(
                    {
                        "field": {"id": f"f{purpose[8:16]}", "ref": ref(purpose), "type": "yes_no"},
                        "type": "boolean",
                        "boolean": given,
                    }
                )
        if form_id == "contactUs":
            label = "Request a demo" if person.wants_demo else "Just browsing"
            answers.append(
                {
                    "field": {
                        "id": "fIntent01",
                        "ref": ref("hand_raiser"),
                        "type": "multiple_choice",
                    },
                    "type": "choice",
                    "choice": {"label": label},
                }
            )
        utm_roll = rng.random()
        hidden = {}
        if utm_roll < 0.02:
            hidden = {"utm_source": rng.choice(UNKNOWN_UTM_SOURCES), "utm_medium": "referral"}
        elif utm_roll < 0.7:
            hidden = {
                "utm_source": rng.choice(KNOWN_UTM_SOURCES),
                "utm_medium": "cpc",
                "utm_campaign": rng.choice(("q4-demo", "ebook-crm", "webinar-nov")),
            }
        submitted = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        # left before submitting: the answers given so far come back, consent included, but a
        # response that was never submitted gives no consent
        partial = rng.random() < 0.05
        if partial:
            answers = answers[: rng.randint(2, len(answers))]
        response = {
            "landing_id": token,
            "token": token,
            "response_id": token,
            "landed_at": (at - timedelta(seconds=rng.randint(20, 600))).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "submitted_at": submitted,
            "metadata": {
                "user_agent": "Mozilla/5.0",
                "platform": rng.choice(("other", "mobile")),
                "referer": f"https://www.example-landing.fr/{form_id}",
                "network_id": "".join(rng.choices(string.hexdigits.lower(), k=10)),
                "browser": "default",
            },
            "hidden": hidden,
            "calculated": {"score": 0},
            "answers": answers,
        }
        if partial:
            del response["submitted_at"]
        data.typeform_responses[form_id].append(response)
        return token


def _text_answer(ref: str, text: str, kind: str = "short_text") -> dict:
    return {
        "field": {"id": f"f{ref[:8]}", "ref": ref, "type": kind},
        "type": "text",
        "text": text,
    }


def generate(leads: int, seed: int = 42, now: datetime | None = None) -> SandboxData:
    """Generate about `leads` records; see `Generator` for what makes them messy."""
    return Generator(seed=seed, now=now).generate(leads)
