// Test endpoints that run each Workers/ function on demand.
api_group "Worker Tests" {
  canonical = "Wk7pB2nR"
  swagger = {active: true}
  tags = ["tests"]
}