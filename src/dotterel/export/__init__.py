"""Writing coded output: JSON lines, a readable terminal table, and analysts' formats."""
