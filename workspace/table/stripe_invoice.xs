// Stripe invoices as last seen by the reconciliation.
table stripe_invoice {
  auth = false

  schema {
    int id
    timestamp created_at?=now
    text stripe_id filters=trim
    text customer_id?
    enum status?=draft {
      values = ["draft", "open", "paid", "uncollectible", "void"]
    }
  
    int amount_paid?=0
    bool paid?=false
    int user_id? {
      table = "user"
    }
  }

  index = [
    {type: "primary", field: [{name: "id"}]}
    {type: "btree|unique", field: [{name: "stripe_id", op: "asc"}]}
    {type: "btree", field: [{name: "created_at", op: "desc"}]}
  ]
}