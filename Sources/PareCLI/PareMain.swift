#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import PareFormat

/// The entry point of `pare`, callable in-process: parses arguments, runs the command, and turns every
/// failure into a one-line message on stderr and a nonzero status instead of a crash.
public enum PareMain {
    /// The exit status of a usage error (a bad option, argument or `PARE_…` value): `EX_USAGE` of
    /// BSD's sysexits, as ArgumentParser uses.
    public static let usageStatus: Int32 = 64

    /// Runs `pare` with `arguments` (without the program name) and returns the exit status:
    /// 0 on success, 1 on a failed command, 64 (`usageStatus`) on a usage error — each failure with
    /// one line on stderr. `environment` supplies the `PARE_MAX_…` budget overrides (`Limits.settings`),
    /// which hold for everything the command does on this thread.
    public static func run(arguments: [String], console: Console,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32 {
        let limits: Limits
        do {
            limits = try Limits(defaults: ()).applying(environment: environment)
        } catch {
            console.log("pare: usage error: " + oneLine(String(describing: error)))
            return usageStatus
        }
        return Limits.$current.withValue(limits) { runParsed(arguments: arguments, console: console) }
    }

    private static func runParsed(arguments: [String], console: Console) -> Int32 {
        let command: ParsableCommand
        do {
            command = try PareCommand.parseAsRoot(arguments)
        } catch {
            return report(parseError: error, arguments: arguments, console: console)
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
        } catch let error as ValidationError {
            // An option checked inside run (after parsing): still a usage error.
            return report(parseError: error, arguments: arguments, console: console)
        } catch {
            // ArgumentParser's own errors (`pare help`) carry their text and status.
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

    /// Help goes to stdout in full (status 0); a usage error is one line on stderr naming what is
    /// wrong and where to read more, with status 64.
    private static func report(parseError error: Error, arguments: [String], console: Console) -> Int32 {
        let status = PareCommand.exitCode(for: error).rawValue
        if status == 0 {
            console.print(PareCommand.fullMessage(for: error))
            return 0
        }
        let message = oneLine(PareCommand.message(for: error))
        let stripped = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        let subcommand = arguments.first.flatMap { name in
            PareCommand.configuration.subcommands.contains { $0.configuration.commandName == name } ? name : nil
        }
        console.log("pare: usage error: \(stripped) (see 'pare \(subcommand.map { $0 + " " } ?? "")--help')")
        return status == ExitCode.failure.rawValue ? 1 : usageStatus
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
