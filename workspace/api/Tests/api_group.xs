// Test endpoints that run each Tasks/ function on demand.
api_group "Tests" {
  canonical = "Xq4dT9sL"
  swagger = {active: true}
  tags = ["tests"]
}