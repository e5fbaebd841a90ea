import AnswerRules
import Foundation

/// Where a learner's code runs while it is graded: with bubblewrap, a file system made of only what
/// each phase needs, no network, a process namespace of its own, and one writable folder of limited
/// size. Without it (`SANDBOX=none`), the code runs as the instructor, with everything they can
/// reach: only for answers one trusts.
///
/// Nothing is shown by default (no `--ro-bind / /`): each phase names the folders it binds, so a
/// copy of `Solutions/`, another workbook or another user's files elsewhere on the machine stay out
/// of sight. When the grader runs as root, the checks' worker runs as a user of its own
/// (`workerUser`), for whom the limit on processes binds, as isolate does.
struct Sandbox {
    /// bwrap's path, or nil to run without a sandbox.
    let bwrap: String?
    /// The workbook, hidden but for what each phase shows of it.
    let workbook: String
    /// The folder of the learners' entries.
    let submissions: String
    /// The limits the worker gets; `writes` is also the size of its writable folder.
    let resources: ResourceLimits
    /// The user id the worker runs as, when the grader runs as root and that user can reach the
    /// check programs and answers (nil: the grader's own).
    let workerUser: uid_t?

    /// The user id (and group id) the worker is given when the grader runs as root: one that no
    /// account uses, as isolate keeps a range of its own.
    static let dedicatedUser: uid_t = 60_419

    init(bwrap: String?, workbook: String, submissions: String, resources: ResourceLimits) {
        self.bwrap = bwrap
        self.workbook = workbook
        self.submissions = submissions
        self.resources = resources
        workerUser = bwrap != nil && geteuid() == 0 ? Self.usableDedicatedUser(bwrap: bwrap!, workbook: workbook) : nil
    }

    /// The dedicated user, if it can run bwrap (unprivileged user namespaces) and reach the workbook's
    /// grading folder; nil otherwise (the worker then runs as root, and the process limit cannot bind).
    static func usableDedicatedUser(bwrap: String, workbook: String) -> uid_t? {
        guard let setpriv = which("setpriv") else { return nil }
        let user = String(dedicatedUser)
        let probe = shell([
            setpriv, "--reuid", user, "--regid", user, "--clear-groups", "--", bwrap, "--ro-bind", "/", "/",
            "--unshare-pid", "--proc", "/proc", "--", "test", "-x", workbook
        ])
        return probe.status == 0 ? dedicatedUser : nil
    }

    /// The folder of the Swift toolchain, which must stay visible.
    private var toolchain: String {
        guard let swift = which("swift") else { return "/usr" }
        let real = URL(fileURLWithPath: swift).resolvingSymlinksInPath().path
        return URL(fileURLWithPath: real).deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The system's folders that `paths` name, each shown read only where it is (a merged /usr's
    /// links, /lib → usr/lib, made again as links).
    private func system(_ paths: [String]) -> [String] {
        var arguments: [String] = []
        for path in paths where FileManager.default.fileExists(atPath: path) {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                arguments += ["--symlink", target, path]
            } else {
                arguments += ["--ro-bind", path, path]
            }
        }
        return arguments
    }

    /// What every sandbox starts with: namespaces, /dev, /proc, the dynamic linker's cache and the
    /// toolchain; the learners' entries are never shown.
    private var base: [String] {
        guard let bwrap else { return [] }
        return [
            bwrap, "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
            "--new-session", "--dev", "/dev", "--proc", "/proc"
        ] + system(["/lib", "/lib64", "/lib32", "/etc/ld.so.cache", "/etc/localtime"])
            + ["--ro-bind", toolchain, toolchain]
    }

    /// The command that compiles a learner's answers: the compilers and system headers (`/usr`), the
    /// toolchain, the workbook read only with their `Exercises/` in place of the instructor's and
    /// `Solutions/`, the wrong answers and the instructor's builds hidden, and only the grading build
    /// folder writable. The compiler runs none of their code.
    func build(exercises: String, scratch: String, _ command: [String]) -> [String] {
        guard bwrap != nil else { return command }
        var arguments =
            base + system(["/usr", "/bin", "/sbin", "/etc/alternatives", "/etc/ld.so.conf", "/etc/ld.so.conf.d"])
        arguments += ["--tmpfs", "/tmp", "--ro-bind", workbook, workbook]
        for path in ["Solutions", "Tests/WrongAnswers", ".build", ".build-test", ".git"] {
            // (A worktree's .git is a file that names the repository, which is not shown.)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: workbook + "/" + path, isDirectory: &isFolder), isFolder.boolValue
            {
                arguments += ["--tmpfs", workbook + "/" + path]
            }
        }
        if submissions.hasPrefix(workbook + "/") { arguments += ["--tmpfs", submissions] }
        arguments += ["--tmpfs", scratch]
        arguments += ["--ro-bind", exercises, workbook + "/Exercises"]
        arguments += ["--bind", scratch + "/build", scratch + "/build"]
        arguments += ["--setenv", "HOME", "/tmp", "--chdir", workbook, "--"]
        return arguments + command
    }

    /// The command (for `WORKBOOK_WORKER_WRAPPER`) that the checks' worker runs inside: the system's
    /// libraries and the toolchain's runtime, the check program, the learner's own `Exercises/` (read
    /// only, where the checks read the answer's source) and `folder`, a fresh one of 1¼ × `writes`
    /// bytes at most, the one place it may write, as its home and working folder. Nothing else of the
    /// workbook.
    func worker(exercises: String, program: String, folder: String) -> [String] {
        guard bwrap != nil else { return [] }
        var arguments: [String] = []
        if let workerUser, let setpriv = which("setpriv") {
            let id = String(workerUser)
            arguments += [setpriv, "--reuid", id, "--regid", id, "--clear-groups", "--"]
        }
        arguments += base + system(["/usr/lib", "/usr/lib64", "/usr/lib32", "/etc/alternatives"])
        arguments += ["--ro-bind", exercises, workbook + "/Exercises"]
        arguments += ["--ro-bind", program, program]
        arguments += ["--size", String(resources.folderSize), "--tmpfs", folder, "--chdir", folder]
        arguments += ["--setenv", "HOME", folder, "--setenv", "TMPDIR", folder, "--"]
        return arguments
    }
}
