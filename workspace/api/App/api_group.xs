// Webhooks and the back-office app.
api_group "App" {
  canonical = "Hk3mZ8vC"
  swagger = {active: false}
}