workspace demo {
  preferences = {
    internal_docs    : false
    track_performance: true
    sql_names        : false
    sql_columns      : true
  }

  realtime = {canonical: "demo-realtime"}
}
