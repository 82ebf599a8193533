#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation

/// The entry point of `pare`, callable in-process: parses arguments, runs the command, and turns every
/// failure into a one-line message on stderr and a nonzero status instead of a crash.
public enum PareMain {
    /// Runs `pare` with `arguments` (without the program name) and returns the exit status:
    /// 0 on success, 1 on a failed command, ArgumentParser's status (64) on a usage error.
    public static func run(arguments: [String], console: Console) -> Int32 {
        let command: ParsableCommand
        do {
            command = try PareCommand.parseAsRoot(arguments)
        } catch {
            let status = PareCommand.exitCode(for: error).rawValue
            let text = PareCommand.fullMessage(for: error)
            if status == 0 {
                console.print(text)
            } else {
                console.log(text)
            }
            return status
        }
        do {
            if let command = command as? ConsoleCommand {
                try command.run(console: console)
            } else {
                var command = command
                try command.run()
            }
            return 0
        } catch let error as CLIError {
            console.log("pare: error: " + oneLine(error.message))
            return error.exitCode
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            // ArgumentParser's own errors (`pare help`, a validation failure inside run) carry their text and status.
            let status = PareCommand.exitCode(for: error).rawValue
            if status == 0 {
                let text = PareCommand.fullMessage(for: error)
                if !text.isEmpty { console.print(text) }
                return 0
            }
            console.log("pare: error: " + oneLine(String(describing: error)))
            return 1
        }
    }

    /// Runs with the process's arguments and terminal, ignoring SIGPIPE so a closed pipe
    /// (`pare inspect big.pare | head`) ends output quietly instead of killing the process.
    public static func main() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        return run(arguments: Array(CommandLine.arguments.dropFirst()), console: .standard())
    }

    /// Folds a message onto one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }
}
