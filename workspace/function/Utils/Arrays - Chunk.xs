// Splits a list into chunks of at most `size` items (Sheets and HubSpot batch limits).
function "Utils/Arrays - Chunk" {
  input {
    json items
    int size?=100 filters=min:1
  }

  stack {
    api.lambda {
      code = """
        const items = $input.items || [];
        const size = $input.size;
        const chunks = [];
        for (let i = 0; i < items.length; i += size) {
          chunks.push(items.slice(i, i + size));
        }
        return chunks;
        """
      timeout = 10
    } as $chunks
  }

  response = $chunks
}