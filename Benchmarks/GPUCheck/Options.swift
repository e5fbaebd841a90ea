import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// GPUCheck's command line. Plain flags (no parser library) keep the static binary small.
struct Options {
    /// Square sgemm sizes to time.
    var sizes = [1024, 2048, 4096]
    /// simpleCNN benchmark batch size and image side.
    var batch = 128, image = 64
    /// Timed training steps (after two warm-up steps).
    var steps = 20
    /// Extra gemm tilings to time beside the default (`64,64,16,8,8;128,128,16,8,8`).
    var tilings: [GemmTiling] = []
    /// Which parts run.
    var parity = true, benchmark = true, cpuBaseline = false

    static let usage = """
        usage: GPUCheck [--sizes 1024,2048,4096] [--batch 128] [--image 64] [--steps 20]
                        [--tilings "64,64,16,8,8;128,128,16,8,8"] [--skip-parity] [--skip-bench] [--cpu-baseline]

        Checks every OpenCL kernel against the CPU backend, then times sgemm and a simpleCNN training step.
        Environment: WORKBOOK_OPENCL_DEVICE (device index or name part), WORKBOOK_KERNELS (folder of .cl files),
        WORKBOOK_GEMM_TILING (tileM,tileN,tileK,perThreadM,perThreadN).
        """

    /// Parses `arguments` (without the program name); on a mistake prints the usage and stops.
    init(_ arguments: [String]) {
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let v = rest.popFirst() else { fail("\(flag) needs a value") }
            return v
        }
        func number(_ flag: String) -> Int {
            let text = value(flag)
            guard let n = Int(text), n > 0 else { fail("\(flag) needs a positive whole number, got \(text)") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--sizes":
                let text = value(flag)
                sizes = text.split(separator: ",").compactMap { Int($0) }
                if sizes.isEmpty || sizes.contains(where: { $0 <= 0 }) {
                    fail("--sizes needs sizes like 1024,2048, got \(text)")
                }
            case "--batch": batch = number(flag)
            case "--image": image = number(flag)
            case "--steps": steps = number(flag)
            case "--tilings":
                let text = value(flag)
                tilings = text.split(separator: ";").compactMap { GemmTiling(parsing: String($0)) }
                if tilings.isEmpty { fail("--tilings needs tilings like 64,64,16,8,8;128,128,16,8,8, got \(text)") }
            case "--skip-parity": parity = false
            case "--skip-bench": benchmark = false
            case "--cpu-baseline": cpuBaseline = true
            case "--help", "-h":
                print(Options.usage)
                exit(0)
            default: fail("unknown argument \(flag)")
            }
        }
    }
}

/// Prints `message` and the usage to standard error and exits with status 2.
func fail(_ message: String) -> Never {
    let text = "error: GPUCheck: \(message)\n\(Options.usage)\n"
    _ = text.withCString { fputs($0, stderr) }
    exit(2)
}
