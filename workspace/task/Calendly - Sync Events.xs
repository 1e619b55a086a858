// Counts the Calendly bookings of the day.
task "Calendly - Sync Events" {
  active = true

  stack {
    function.run "Tasks/Calendly - Sync Events" as $result
  }
}