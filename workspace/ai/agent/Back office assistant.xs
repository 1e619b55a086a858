// Answers the back office's questions about agents and their people.
agent "Back office assistant" {
  canonical = "bo-asst1"
  llm = {
    type         : "anthropic"
    system_prompt: "You help the back office: look agents up and refresh their Follow Up Boss people when asked."
    max_steps    : 5
    model        : "claude-4-sonnet-20250514"
    temperature  : 0
  }

  tools = [{name: "Load agent profile"}, {name: "Sync agent people"}]
}