// swift-tools-version:6.0
// The workbook: one library (`Shared`) that grows section by section, one executable per section of
// the chapter, exercises with their solutions, tests and benchmarks.
import Foundation
import PackageDescription

/// The chapter's sections, in order; each is an executable in `Chapters/<name>/`.
let chapters = [
    "00-Data", "01-Dataset", "02-Module", "03-SimpleCNN",
    "04-Loss", "05-Learner", "06-Callbacks", "07-Scheduling", "08-FurtherResearch"
]

/// `Shared` is compiled with optimisation even in debug builds: learners type `swift run 05-Learner`,
/// and the tensor loops must not run at debug speed.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

var targets: [Target] = [
    .systemLibrary(
        name: "CBLAS", path: "Shared/System/CBLAS", pkgConfig: "openblas",
        providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
        name: "CJPEG", path: "Shared/System/CJPEG", pkgConfig: "libjpeg",
        providers: [.apt(["libjpeg-dev"])]),
    .systemLibrary(
        name: "CPNG", path: "Shared/System/CPNG", pkgConfig: "libpng",
        providers: [.apt(["libpng-dev"])]),
    .systemLibrary(
        name: "COpenCL", path: "Shared/System/COpenCL", pkgConfig: "OpenCL",
        providers: [.apt(["ocl-icd-opencl-dev"])]),
    // The setjmp/longjmp error handlers for libjpeg and libpng, and the decode/encode loops around them.
    .target(
        name: "CImageIO", dependencies: ["CJPEG", "CPNG"], path: "Shared/System/CImageIO",
        cSettings: [.unsafeFlags(["-O2"])]),
    // The convolution's AVX2+FMA kernels, which Swift cannot compile apart from the rest of the module.
    .target(name: "CConv", path: "Shared/System/CConv", cSettings: [.unsafeFlags(["-O2"])]),
    // The layers, each a module of its own so that the compiler keeps their direction: Support (clock,
    // terminal, number formatting) ← Engine (what the chapter borrows from PyTorch) ← Media (what PIL
    // and matplotlib give it, and terminal pictures) ← Workbook (the step runner) ← Shared (the
    // chapter's sections 00–08), which re-exports the layers below for chapters, exercises and tests.
    .target(name: "Support", path: "Shared/Support", swiftSettings: optimized),
    .target(
        name: "Engine", dependencies: ["Support", "CBLAS", "COpenCL", "CConv"], path: "Shared/Engine",
        swiftSettings: optimized),
    .target(
        name: "Media", dependencies: ["Support", "Engine", "CImageIO", "CJPEG", "CPNG"], path: "Shared/Media",
        swiftSettings: optimized),
    .target(
        name: "Workbook",
        dependencies: [
            "Support", "Engine", "Media", .product(name: "ArgumentParser", package: "swift-argument-parser")
        ],
        path: "Shared/Workbook", swiftSettings: optimized),
    .target(
        name: "Shared",
        dependencies: [
            "Support", "Engine", "Media", "Workbook",
            .product(name: "ArgumentParser", package: "swift-argument-parser")
        ],
        path: "Shared",
        exclude: ["System", "Kernels", "Support", "Engine", "Media", "Workbook"],
        swiftSettings: optimized
    ),
    .executableTarget(
        name: "DataBench", dependencies: ["Shared"], path: "Benchmarks/DataBench",
        swiftSettings: optimized),
    // The PyTorch fixtures ship as resources (`Bundle.module`); the script that writes them does not.
    .testTarget(
        name: "SharedTests", dependencies: ["Shared"], path: "Tests/SharedTests",
        exclude: [
            "Fixtures/make_fixtures.py", "Fixtures/make_safetensors_fixtures.py", "Fixtures/make_adam_fixtures.py"
        ],
        resources: [
            .copy("Fixtures/engine_fixtures.json"), .copy("Fixtures/Safetensors"),
            .copy("Fixtures/adam_fixtures.json")
        ]),
    // OpenCL parity checks and benchmarks in one binary for the GPU machine (Benchmarks/gpu-check.sh).
    .executableTarget(
        name: "GPUCheck", dependencies: ["Shared"], path: "Benchmarks/GPUCheck",
        exclude: ["torch_reference.py"], swiftSettings: optimized)
]

for name in chapters {
    targets.append(
        .executableTarget(name: name, dependencies: ["Shared"], path: "Chapters/\(name)"))
}
// Runs every chapter executable as a learner would and checks its output; depending on them makes
// `swift test` build them first.
targets.append(
    .testTarget(
        name: "ChapterTests", dependencies: chapters.map { .target(name: $0) } + ["Shared"],
        path: "Tests/ChapterTests"))

// The engine's speed: sgemm, the simple CNN's conv layers and a whole training step
// (`swift run -c release EngineBench`; Benchmarks/torch_step.py times PyTorch on the same step).
targets.append(
    .executableTarget(
        name: "EngineBench", dependencies: ["Shared"], path: "Benchmarks/EngineBench"))
// fit(1) end to end with peak RSS, for `make bench` beside Benchmarks/torch_chapter.py.
targets.append(
    .executableTarget(name: "FitBench", dependencies: ["Shared"], path: "Benchmarks/FitBench"))

// MARK: - Exercises and solutions

/// The exercises, numbered as in the chapter's questionnaire (R1–R6: its further research), found on
/// disk so that adding one needs no edit here. `Solutions/<number>-<Name>/Sources` is the reference
/// answer (module `Reference<number>`), checked by `Tests/ExerciseChecks/<number>/` (module
/// `Checks<number>`, which depends on no answer) through the program `solution-<number>`.
///
/// The learner's own answers in `Exercises/` are compiled only when `WORKBOOK_EXERCISES` is set, as the
/// exercise commands (`make exercise`, `make watch`, `make run-exercise`, `make check-exercises`) set
/// it: a half-written answer never stops `swift build`, `make run` or a chapter. Then each
/// `Exercises/<number>-<Name>/Sources` adds the module `Exercise<number>`, the program that shows it at
/// work (`Tests/ExerciseChecks/<number>/Run`, `exercise-<number>`) and `check-<number>`, which links
/// that exercise's modules and no other, so a half-written exercise cannot change another's verdict.
let packageRoot = Context.packageDirectory
let withLearnersAnswers = Context.environment["WORKBOOK_EXERCISES"].map { !$0.isEmpty && $0 != "0" } ?? false

/// The names of the folders directly inside `path` (relative to the package), sorted.
func folders(in path: String) -> [String] {
    let base = packageRoot + "/" + path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
    return names.filter { name in
        var isFolder: ObjCBool = false
        return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isFolder)
            && isFolder.boolValue
    }.sorted()
}

/// "16-Fibonacci" → "16".
func exerciseNumber(_ folder: String) -> String { String(folder.prefix { $0 != "-" }) }

// SwiftPM caches the result of this manifest by its text and the environment, not by the folders
// it finds: the Makefile exports `WORKBOOK_LAYOUT`, the list of them, so that a new exercise or
// wrong answer counts at once (plain `swift build` sees it once the manifest is evaluated again).
// An exercise is a folder of checks; its answers' folders are found by its number. A copy of the
// workbook without `Solutions/` (as handed out, or as `make grade` builds it) has no references.
let exerciseNumbers = folders(in: "Tests/ExerciseChecks").filter {
    FileManager.default.fileExists(atPath: packageRoot + "/Tests/ExerciseChecks/\($0)/Checks")
}
let solutionFolders = folders(in: "Solutions")
let learnersFolders = withLearnersAnswers ? folders(in: "Exercises") : []
/// The folder of exercise `number` among `candidates` ("16" → "16-Fibonacci").
func folder(of number: String, among candidates: [String]) -> String? {
    candidates.first { exerciseNumber($0) == number }
}

// What the checks, the tool and the grader agree on (the verdict's form, the resource limits, the answer
// regions), apart from the checks' runner so that the tool links no layer but Support.
targets += [
    .target(name: "AnswerRules", path: "Tests/AnswerRules"),
    .target(name: "ExerciseSupport", dependencies: ["Shared", "AnswerRules"], path: "Tests/ExerciseSupport")
]
let exerciseDependencies: [Target.Dependency] = ["Shared", "ExerciseSupport"]

var exerciseProducts: [Product] = []
for number in exerciseNumbers {
    let checks = "Tests/ExerciseChecks/\(number)"
    targets.append(
        .target(
            name: "Checks\(number)", dependencies: exerciseDependencies, path: "\(checks)/Checks"))
    if let folder = folder(of: number, among: solutionFolders) {
        targets += [
            .target(
                name: "Reference\(number)", dependencies: exerciseDependencies, path: "Solutions/\(folder)/Sources"),
            .executableTarget(
                name: "solution-\(number)",
                dependencies: exerciseDependencies + [
                    .target(name: "Checks\(number)"), .target(name: "Reference\(number)")
                ],
                path: "\(checks)/Reference")
        ]
        exerciseProducts.append(.executable(name: "solution-\(number)", targets: ["solution-\(number)"]))
    }
    guard let folder = folder(of: number, among: learnersFolders) else { continue }
    targets += [
        .target(
            name: "Exercise\(number)", dependencies: exerciseDependencies, path: "Exercises/\(folder)/Sources"),
        .executableTarget(
            name: "exercise-\(number)",
            dependencies: [
                .target(name: "Exercise\(number)"), "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            path: "\(checks)/Run"),
        .executableTarget(
            name: "check-\(number)",
            dependencies: exerciseDependencies + [.target(name: "Checks\(number)"), .target(name: "Exercise\(number)")],
            path: "\(checks)/Student")
    ]
    exerciseProducts += ["exercise-\(number)", "check-\(number)"].map { .executable(name: $0, targets: [$0]) }
}

/// Further research 2 asks to use the batchnorm of R2 in the resnet18 of R1: `swift run resnet18-batchnorm`
/// links both answers. It is the only program that does; the exercises and their checks stay apart.
if learnersFolders.contains("R1-ResNet18") && learnersFolders.contains("R2-BatchNorm") {
    targets.append(
        .executableTarget(
            name: "resnet18-batchnorm",
            dependencies: [
                "ExerciseR1", "ExerciseR2", "Shared", .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            path: "Tests/ExerciseChecks/R2/WithResNet18"))
    exerciseProducts.append(.executable(name: "resnet18-batchnorm", targets: ["resnet18-batchnorm"]))
}

/// The known-wrong answers: `Tests/WrongAnswers/<number>/<slug>.diff` is the reference answer's
/// mistake, a unified diff headed by what it gets wrong and the message that must reject it.
/// `workbook wrong-answer apply` (run by `make test`) lays each one out under `.build/wrong-answers/`
/// as module `Wrong<number>_<slug>` ("-" in the slug becomes "_") with the exercise's
/// `AnswerChecks.swift`, and writes the module `WrongAnswerRegistry` that lists them; `WrongAnswerTests`
/// proves that the checks reject each one for its reason.
let appliedWrongAnswers = ".build/wrong-answers"
var wrongAnswerModules: [Target.Dependency] = []
let referenced = exerciseNumbers.filter { folder(of: $0, among: solutionFolders) != nil }
for number in referenced {
    for slug in folders(in: "\(appliedWrongAnswers)/\(number)") {
        let name = "Wrong\(number)_" + slug.replacingOccurrences(of: "-", with: "_")
        targets.append(
            .target(
                name: name, dependencies: exerciseDependencies + [.target(name: "Checks\(number)")],
                path: "\(appliedWrongAnswers)/\(number)/\(slug)"))
        wrongAnswerModules.append(.target(name: name))
    }
}
if FileManager.default.fileExists(atPath: packageRoot + "/\(appliedWrongAnswers)/Registry/Registry.swift") {
    targets.append(
        .target(
            name: "WrongAnswerRegistry", dependencies: ["ExerciseSupport"] + wrongAnswerModules,
            path: "\(appliedWrongAnswers)/Registry"))
    wrongAnswerModules = ["WrongAnswerRegistry"]
}
// A copy without `Solutions/` (the one `make grade` builds learners' answers in) has nothing to prove.
if !referenced.isEmpty {
    targets.append(
        .testTarget(
            name: "WrongAnswerTests", dependencies: ["ExerciseSupport"] + wrongAnswerModules,
            path: "Tests/WrongAnswerTests"))
}
// `workbook`, every exercise command (`make exercise`, `make watch`, …, `make grade`): it links none of
// the layers but `Support`, so it builds in seconds, before anything else, and a broken answer cannot
// stop it.
targets += [
    .target(name: "ExerciseTool", dependencies: ["Support"], path: "Tests/ExerciseTool/Library"),
    .executableTarget(
        name: "WorkbookTool",
        dependencies: [
            "ExerciseTool", "AnswerRules", "Support", .product(name: "ArgumentParser", package: "swift-argument-parser")
        ],
        path: "Tests/ExerciseTool/Commands"),
    .testTarget(name: "ExerciseToolTests", dependencies: ["ExerciseTool"], path: "Tests/ExerciseToolTests")
]
exerciseProducts.append(.executable(name: "workbook", targets: ["WorkbookTool"]))
// `Exercises/` and `Solutions/` differ only inside answer regions; it reads files, it links no exercise.
targets.append(
    .testTarget(
        name: "AnswerRegionTests", dependencies: ["ExerciseSupport"], path: "Tests/AnswerRegionTests"))

/// The small modules (a chapter's program, an exercise's answer, checks and programs, each known-wrong
/// answer, the benchmarks, the test suites but the library's) compile their files in one job. By
/// default the driver splits a module's files into a job per core, and each job loads the layers below
/// again: for a few hundred lines that loading is most of the work, and `make test` builds such a
/// module for every known-wrong answer. The library's layers and its test suite, large and on every
/// build's path, keep the split; the C targets take no Swift settings.
let keepTheSplit: Set<String> = ["CImageIO", "CConv", "Support", "Engine", "Media", "Workbook", "Shared", "SharedTests"]
for target in targets where target.type != .system && !keepTheSplit.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-driver-batch-count", "1"])]
}

let package = Package(
    name: "LearnerFromScratch",
    products: chapters.map { .executable(name: $0, targets: [$0]) }
        + [
            .executable(name: "EngineBench", targets: ["EngineBench"]),
            .executable(name: "FitBench", targets: ["FitBench"]),
            .executable(name: "GPUCheck", targets: ["GPUCheck"])
        ]
        + exerciseProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: targets,
    swiftLanguageModes: [.v5]
)
