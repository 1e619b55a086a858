"""What the generated workspace is about: integration domains, their API objects, and the
actions functions perform on them. Plain data; the planner and renderers read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    plural: str  # "people": variable and data-key name
    singular: str  # "person"
    path: str  # API path segment
    list_key: str  # key of the list in the API's answer
    fields: tuple[tuple[str, str], ...]  # (API field, XanoScript type)

    @property
    def title(self) -> str:
        return " ".join(word.capitalize() for word in self.plural.split("_"))


@dataclass(frozen=True)
class Domain:
    name: str  # "FUB"
    slug: str  # "fub"
    base_url: str
    token_env: str
    basic_auth: bool
    owner: tuple[str, str]  # (type, input name) identifying the account an object belongs to
    entities: tuple[Entity, ...]


def _e(plural: str, singular: str, list_key: str, *fields: str, path: str = "") -> Entity:
    pairs = tuple((f.split(":")[0], f.split(":")[1] if ":" in f else "text") for f in fields)
    return Entity(plural, singular, path or plural, list_key, pairs)


DOMAINS: tuple[Domain, ...] = (
    Domain("FUB", "fub", "https://api.followupboss.com/v1", "FUB_API_KEY", True, ("int", "ad_user_id"), (
        _e("people", "person", "people", "name", "stage", "source", "emails:json"),
        _e("deals", "deal", "deals", "name", "stageName", "price:decimal"),
        _e("appointments", "appointment", "appointments", "title", "start:timestamp", "location"),
        _e("notes", "note", "notes", "subject", "body", "personId:int"))),
    Domain("Stripe", "stripe", "https://api.stripe.com/v1", "STRIPE_SECRET_KEY", False, ("text", "stripe_account"), (
        _e("invoices", "invoice", "data", "status", "amount_paid:int", "customer"),
        _e("charges", "charge", "data", "amount:int", "currency", "paid:bool"),
        _e("customers", "customer", "data", "email", "name", "balance:int"),
        _e("payouts", "payout", "data", "amount:int", "arrival_date:timestamp", "status"),
        _e("subscriptions", "subscription", "data", "status", "current_period_end:timestamp", "plan:json"))),
    Domain("HubSpot", "hubspot", "https://api.hubapi.com/crm/v3/objects", "HUBSPOT_TOKEN", False, ("int", "portal_id"), (
        _e("contacts", "contact", "results", "email", "firstname", "lifecyclestage"),
        _e("deals", "deal", "results", "dealname", "amount:decimal", "dealstage"),
        _e("companies", "company", "results", "name", "domain", "industry"),
        _e("tickets", "ticket", "results", "subject", "hs_pipeline_stage", "hs_ticket_priority"))),
    Domain("Calendly", "calendly", "https://api.calendly.com", "CALENDLY_TOKEN", False, ("text", "organization_uri"), (
        _e("events", "event", "collection", "name", "start_time:timestamp", "status", path="scheduled_events"),
        _e("invitees", "invitee", "collection", "email", "name", "status"),
        _e("event_types", "event_type", "collection", "name", "duration:int", "active:bool"))),
    Domain("Zoom", "zoom", "https://api.zoom.us/v2", "ZOOM_TOKEN", False, ("text", "zoom_user_id"), (
        _e("meetings", "meeting", "meetings", "topic", "start_time:timestamp", "duration:int"),
        _e("recordings", "recording", "meetings", "topic", "total_size:int", "share_url"),
        _e("participants", "participant", "participants", "name", "user_email", "duration:int"),
        _e("webinars", "webinar", "webinars", "topic", "start_time:timestamp", "agenda"))),
    Domain("Slack", "slack", "https://slack.com/api", "SLACK_BOT_TOKEN", False, ("text", "team_id"), (
        _e("messages", "message", "messages", "text", "user", "ts", path="conversations.history"),
        _e("channels", "channel", "channels", "name", "is_private:bool", "num_members:int", path="conversations.list"),
        _e("members", "member", "members", "real_name", "tz", "is_bot:bool", path="users.list"))),
    Domain("Sheets", "sheets", "https://sheets.googleapis.com/v4/spreadsheets", "GOOGLE_SHEETS_TOKEN", False,
           ("text", "spreadsheet_id"), (
        _e("rows", "row", "values", "range", "majorDimension", "values:json", path="values"),
        _e("sheets", "sheet", "sheets", "title", "index:int", "sheetId:int"))),
    Domain("Twilio", "twilio", "https://api.twilio.com/2010-04-01/Accounts", "TWILIO_AUTH_TOKEN", True,
           ("text", "account_sid"), (
        _e("messages", "message", "messages", "to", "from", "body", "status", path="Messages.json"),
        _e("calls", "call", "calls", "to", "from", "duration:int", "status", path="Calls.json"))),
    Domain("Mailchimp", "mailchimp", "https://us21.api.mailchimp.com/3.0", "MAILCHIMP_API_KEY", True, ("text", "list_id"), (
        _e("members", "member", "members", "email_address", "status", "full_name"),
        _e("campaigns", "campaign", "campaigns", "type", "status", "emails_sent:int"),
        _e("audiences", "audience", "lists", "name", "stats:json", path="lists"))),
    Domain("QuickBooks", "quickbooks", "https://quickbooks.api.intuit.com/v3/company", "QUICKBOOKS_TOKEN", False,
           ("text", "realm_id"), (
        _e("invoices", "invoice", "Invoice", "DocNumber", "TotalAmt:decimal", "Balance:decimal", path="invoice"),
        _e("customers", "customer", "Customer", "DisplayName", "PrimaryEmailAddr:json", "Balance:decimal", path="customer"),
        _e("payments", "payment", "Payment", "TotalAmt:decimal", "TxnDate", "CustomerRef:json", path="payment"))),
    Domain("Shopify", "shopify", "https://acme-store.myshopify.com/admin/api/2024-07", "SHOPIFY_ACCESS_TOKEN", False,
           ("int", "shop_id"), (
        _e("orders", "order", "orders", "email", "total_price:decimal", "financial_status", path="orders.json"),
        _e("products", "product", "products", "title", "vendor", "status", path="products.json"),
        _e("customers", "customer", "customers", "email", "first_name", "orders_count:int", path="customers.json"))),
    Domain("Zendesk", "zendesk", "https://acme.zendesk.com/api/v2", "ZENDESK_TOKEN", True, ("int", "brand_id"), (
        _e("tickets", "ticket", "tickets", "subject", "status", "priority", path="tickets.json"),
        _e("users", "zendesk_user", "users", "name", "email", "role", path="users.json"),
        _e("organizations", "organization", "organizations", "name", "domain_names:json", path="organizations.json"))),
    Domain("Intercom", "intercom", "https://api.intercom.io", "INTERCOM_TOKEN", False, ("text", "workspace_id"), (
        _e("conversations", "conversation", "conversations", "state", "priority", "title"),
        _e("contacts", "contact", "data", "email", "name", "role"),
        _e("companies", "company", "data", "name", "plan:json", "user_count:int"))),
    Domain("Airtable", "airtable", "https://api.airtable.com/v0", "AIRTABLE_TOKEN", False, ("text", "base_id"), (
        _e("records", "record", "records", "fields:json", "createdTime"),
        _e("tables", "base_table", "tables", "name", "primaryFieldId", path="meta/tables"))),
    Domain("DocuSign", "docusign", "https://na3.docusign.net/restapi/v2.1/accounts", "DOCUSIGN_TOKEN", False,
           ("text", "docusign_account_id"), (
        _e("envelopes", "envelope", "envelopes", "status", "emailSubject", "sentDateTime:timestamp"),
        _e("signers", "signer", "signers", "name", "email", "status", path="recipients"),
        _e("templates", "template", "envelopeTemplates", "name", "description"))),
    Domain("Pipedrive", "pipedrive", "https://api.pipedrive.com/v1", "PIPEDRIVE_TOKEN", False, ("int", "company_id"), (
        _e("deals", "deal", "data", "title", "value:decimal", "status"),
        _e("persons", "person", "data", "name", "email:json", "org_id:int"),
        _e("activities", "activity", "data", "subject", "type", "due_date"),
        _e("organizations", "organization", "data", "name", "address"))),
    Domain("Salesforce", "salesforce", "https://acme.my.salesforce.com/services/data/v60.0", "SALESFORCE_TOKEN", False,
           ("text", "org_id"), (
        _e("accounts", "account", "records", "Name", "Industry", "AnnualRevenue:decimal", path="sobjects/Account"),
        _e("opportunities", "opportunity", "records", "Name", "StageName", "Amount:decimal", path="sobjects/Opportunity"),
        _e("leads", "lead", "records", "Email", "Company", "Status", path="sobjects/Lead"),
        _e("cases", "case_record", "records", "Subject", "Status", "Priority", path="sobjects/Case"))),
    Domain("Notion", "notion", "https://api.notion.com/v1", "NOTION_TOKEN", False, ("text", "database_id"), (
        _e("pages", "page", "results", "url", "archived:bool", "properties:json"),
        _e("databases", "database", "results", "url", "title:json"))),
    Domain("Asana", "asana", "https://app.asana.com/api/1.0", "ASANA_TOKEN", False, ("text", "workspace_gid"), (
        _e("tasks", "asana_task", "data", "name", "completed:bool", "due_on"),
        _e("projects", "project", "data", "name", "archived:bool", "color"))),
    Domain("Gusto", "gusto", "https://api.gusto.com/v1", "GUSTO_TOKEN", False, ("text", "company_uuid"), (
        _e("employees", "employee", "employees", "first_name", "last_name", "email"),
        _e("payrolls", "payroll", "payrolls", "check_date", "processed:bool", "totals:json"))),
)

# Worker actions, in the order they are planned (a worker may call the ones planned before it).
# Each: (action, kind of work, data keys with their kinds). Kinds: list, count, flag, text, row.
WORKER_ACTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Fetch", "pull", (("{plural}", "list"), ("has_more", "flag"))),
    ("Refresh", "one", (("{singular}", "row"), ("changed", "flag"))),
    ("Sync", "pull", (("{plural}", "list"), ("count", "count"))),
    ("Import", "pull", (("imported", "count"), ("skipped", "list"))),
    ("Backfill", "pull", (("backfilled", "count"), ("pages", "count"))),
    ("Enrich", "one", (("{singular}", "row"), ("enriched", "flag"))),
    ("Upsert", "push", (("created", "count"), ("failed", "list"))),
    ("Export", "push", (("exported", "count"), ("destination", "text"))),
    ("Notify", "send", (("sent", "flag"), ("message_id", "text"))),
    ("Reconcile", "local", (("matched", "count"), ("missing", "list"))),
    ("Dedupe", "local", (("duplicates", "list"), ("kept", "count"))),
    ("Validate", "local", (("valid", "flag"), ("errors", "list"))),
    ("Score", "local", (("scored", "list"), ("hot", "count"))),
    ("Summarize", "local", (("total", "count"), ("count", "count"))),
    ("Archive", "local", (("archived", "count"),)),
    ("Prune", "local", (("deleted", "count"),)),
)

TASK_ACTIONS = ("Sync", "Daily Sync", "Nightly Import", "Hourly Refresh", "Weekly Report", "Backfill",
                "Reconcile", "Cleanup", "Digest", "Export", "Enrich", "Score")

CATEGORIES = ("Dates", "Text", "Money", "Arrays", "JSON", "Log", "Validate", "Cache")

SCHEDULE_FREQS = (300, 900, 1800, 3600, 10800, 21600, 43200, 86400, 86400, 86400, 604800)

API_VERBS = ("GET", "POST", "PATCH", "DELETE")
