"""Network access shared by the online checks and `casebook cite` (one HTTP client, one User-Agent)."""
