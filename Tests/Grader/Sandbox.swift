import Foundation

/// Where a learner's code runs while it is graded: with bubblewrap, a view of the system that is read
/// only, no network, no view of `Solutions/`, of the instructor's build, of the home folder or of the
/// other learners' entries, and one folder it may write in. Without it (`SANDBOX=none`), the code
/// runs as the instructor, with everything they can reach: only for answers one trusts.
struct Sandbox {
    /// bwrap's path, or nil to run without a sandbox.
    let bwrap: String?
    /// The workbook, hidden but for what each phase shows of it.
    let workbook: String
    /// The folder of the learners' entries.
    let submissions: String

    /// The folder of the Swift toolchain, which must stay visible.
    private var toolchain: String {
        guard let swift = which("swift") else { return "/usr" }
        let real = URL(fileURLWithPath: swift).resolvingSymlinksInPath().path
        return URL(fileURLWithPath: real).deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// What every sandbox starts with.
    private var base: [String] {
        guard let bwrap else { return [] }
        var arguments = [
            bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session"
        ]
        // The home folder (ssh keys, the instructor's files) is hidden, and /tmp is a fresh one; the
        // toolchain and the workbook are shown again where they live inside either. The entries are
        // hidden: no learner sees another's.
        let home = NSHomeDirectory()
        var hidden = ["/tmp"]
        if home != "/" {
            arguments += ["--tmpfs", home]
            hidden.append(home)
        }
        for path in [toolchain, workbook] where hidden.contains(where: { path.hasPrefix($0 + "/") }) {
            arguments += ["--ro-bind", path, path]
        }
        return arguments + ["--tmpfs", submissions]
    }

    /// The command that compiles a learner's answers: the workbook read only, with their `Exercises/`
    /// in place of the instructor's, `Solutions/`, the wrong answers and the instructor's builds
    /// hidden, and only the grading build folder writable. The compiler runs none of their code.
    func build(exercises: String, scratch: String, _ command: [String]) -> [String] {
        guard bwrap != nil else { return command }
        var arguments = base
        for path in ["Solutions", "Tests/WrongAnswers", ".build", ".git"]
        where FileManager.default.fileExists(atPath: workbook + "/" + path) {
            arguments += ["--tmpfs", workbook + "/" + path]
        }
        arguments += ["--tmpfs", scratch]
        arguments += ["--ro-bind", exercises, workbook + "/Exercises"]
        arguments += ["--bind", scratch + "/build", scratch + "/build"]
        arguments += ["--setenv", "HOME", "/tmp", "--chdir", workbook, "--"]
        return arguments + command
    }

    /// The command (for `WORKBOOK_WORKER_WRAPPER`) that the checks' worker runs inside: nothing of the
    /// workbook but the learner's own `Exercises/` (read only) and the check program, and `folder`, the
    /// one place it may write, as its home and working folder.
    func worker(exercises: String, program: String, folder: String) -> [String] {
        guard bwrap != nil else { return [] }
        var arguments = base
        arguments += ["--tmpfs", workbook]
        arguments += ["--ro-bind", exercises, workbook + "/Exercises"]
        arguments += ["--ro-bind", program, program]
        arguments += ["--bind", folder, folder, "--chdir", folder]
        arguments += ["--setenv", "HOME", folder, "--setenv", "TMPDIR", folder, "--"]
        return arguments
    }
}
