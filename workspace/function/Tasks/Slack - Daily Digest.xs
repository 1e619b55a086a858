// Posts the open HubSpot deals to the sales channel every morning.
function "Tasks/Slack - Daily Digest" {
  input {
    text channel?
  }

  stack {
    function.run "Workers/HubSpot - Fetch Deals" {
      input = {pipeline: "default", limit: 25}
    } as $deals
  
    var $summary {
      value = "Open deals this morning:"
    }
  
    foreach ($deals.data.deals) {
      each as $deal {
        text.append $summary {
          value = "\n- " ~ $deal.properties.dealname ~ " ($" ~ $deal.properties.amount ~ ")"
        }
      }
    }
  
    function.run "Workers/Slack - Post Digest" {
      input = {channel: $input.channel|first_notnull:$env.SLACK_SALES_CHANNEL, text: $summary}
    } as $post
  }

  response = {success: true, data: {posted: $post.data}, error: null, step: "Tasks/Slack - Daily Digest"}
}