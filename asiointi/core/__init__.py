"""What every app shares and no app owns: events sent after commit, rate limits, mail as background
tasks, distances. ``core`` imports no app of Asiointi (an import-linter contract checks it)."""
