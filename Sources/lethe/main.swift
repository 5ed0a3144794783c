import LetheCommands

// The `lethe` executable: every command lives in the LetheCommands library.
Lethe.main()
