"""What speaks to Xano: the Metadata API client with its rate-limit gate, retries and request
slots, and the remote objects it returns, normalised. Below ``sync`` (pull, push and the
workspace tree) and the runtime commands; it knows nothing of files, git or XanoScript."""
