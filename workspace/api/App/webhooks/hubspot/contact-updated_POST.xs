// HubSpot contact.propertyChange webhook.
query "webhooks/hubspot/contact-updated" verb=POST {
  api_group = "App"

  input {
    json events?
  }

  stack {
  }

  response = null
}