import Foundation

/// What Ctrl-C prints during `lethe run` and `lethe resume`: where the run is and the command
/// that continues it, then exit status 130 (the shell's code for SIGINT). The message is
/// prepared before the run starts, because a signal handler may only call async-signal-safe
/// functions (`write`, `_exit`).
enum InterruptMessage {
    nonisolated(unsafe) private static var bytes: UnsafeMutableBufferPointer<UInt8>?

    /// Installs the handler for a run into `folder`.
    static func install(folder: String) {
        let text = "\ninterrupted: the run in \(folder) stopped; what it saved is kept (state.json names it).\n"
            + "continue it with: lethe resume \(folder)\n"
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
        _ = buffer.initialize(from: text.utf8)
        bytes = buffer
        signal(SIGINT) { _ in
            if let message = InterruptMessage.bytes { _ = write(STDERR_FILENO, message.baseAddress, message.count) }
            _exit(130)
        }
        // A parent may have started this process with SIGINT blocked (the mask is inherited).
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    }
}
