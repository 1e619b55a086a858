"""XanoScript shared by the linter's tests: an envelope-returning worker and a caller that
passes `user_id` to it (ID001) and reads `$result.people` (FP003)."""

WORKER = '''function "Workers/Sync People" {
  input {
    int ad_user_id
  }
  stack {
    var $people { value = [] }
  }
  response = {success: true, data: {people: $people}, error: null}
}
'''

CALLER = '''function "Tasks/Sync People" {
  input {
    int ad_user_id
  }
  stack {
    function.run "Workers/Sync People" {
      input = {user_id: $input.ad_user_id}
    } as $result
    var $count { value = $result.people|count }
  }
  response = {success: true, data: {count: $count}, error: null}
}
'''
