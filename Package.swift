// swift-tools-version:6.0
// The workbook: one library (`Shared`) that grows section by section, one executable per section of
// the chapter, exercises with their solutions, tests and benchmarks.
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
    .target(
        name: "Shared",
        dependencies: [
            "CBLAS", "CJPEG", "CPNG", "COpenCL", "CImageIO", "CConv",
            .product(name: "ArgumentParser", package: "swift-argument-parser")
        ],
        path: "Shared",
        exclude: ["System", "Kernels"],
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
    targets.append(.executableTarget(name: name, dependencies: ["Shared"], path: "Chapters/\(name)"))
}
// Runs every chapter executable as a learner would and checks its output; depending on them makes
// `swift test` build them first.
targets.append(
    .testTarget(
        name: "ChapterTests", dependencies: chapters.map { .target(name: $0) },
        path: "Tests/ChapterTests"))

// The engine's speed: sgemm, the simple CNN's conv layers and a whole training step
// (`swift run -c release EngineBench`; Benchmarks/torch_step.py times PyTorch on the same step).
targets.append(.executableTarget(name: "EngineBench", dependencies: ["Shared"], path: "Benchmarks/EngineBench"))
// fit(1) end to end with peak RSS, for `make bench` beside Benchmarks/torch_chapter.py.
targets.append(.executableTarget(name: "FitBench", dependencies: ["Shared"], path: "Benchmarks/FitBench"))

// MARK: - Exercises and solutions

/// The exercises, numbered as in the chapter's questionnaire (R1–R4: its further research), each in
/// `Exercises/<name>/` and, with the same layout, `Solutions/<name>/`: `Sources/` is the library the
/// tests check (module `Exercise<number>`), `Run/` the executable that shows it at work
/// (`swift run exercise-<number>`).
let exercises = [
    "16-Fibonacci", "21-ShapeHook", "25-PlainCallback", "34-CosineOneCycle",
    "R1-ResNet18", "R2-BatchNorm", "R3-Mixup", "R4-Momentum"
]

/// Which tree backs the exercise modules: the students' `Exercises/` unless the environment says
/// `WORKBOOK_ANSWERS=solutions`. Switching changes the package graph, so the Makefile builds the
/// solutions in a scratch folder of their own (`.build-solutions`).
let answersFolder = Context.environment["WORKBOOK_ANSWERS"] == "solutions" ? "Solutions" : "Exercises"

/// "16-Fibonacci" → "16".
func exerciseNumber(_ folder: String) -> String { String(folder.prefix { $0 != "-" }) }

/// Exercises that build on another one (R1's resnet18 uses R2's batchnorm).
let exerciseDependencies: [String: [Target.Dependency]] = ["R1": ["ExerciseR2"]]

targets.append(.target(name: "ExerciseSupport", path: "Tests/ExerciseSupport"))
for folder in exercises {
    let number = exerciseNumber(folder)
    targets.append(
        .target(
            name: "Exercise\(number)",
            dependencies: ["Shared", "ExerciseSupport"] as [Target.Dependency] + (exerciseDependencies[number] ?? []),
            path: "\(answersFolder)/\(folder)/Sources"))
    targets.append(
        .executableTarget(
            name: "exercise-\(number)",
            dependencies: [
                .target(name: "Exercise\(number)"), "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            path: "\(answersFolder)/\(folder)/Run"))
}
// One test target for all exercises: its suites are named `Exercise<number>Tests`, so
// `swift test --filter Exercise16Tests` picks one. Against `Exercises/` they run only when asked
// (`make exercise`), so that `swift test` stays green while the stubs are unanswered.
targets.append(
    .testTarget(
        name: "ExerciseTests",
        dependencies: ["ExerciseSupport", "Shared"] as [Target.Dependency]
            + exercises.map { .target(name: "Exercise\(exerciseNumber($0))") },
        path: "Tests/ExerciseTests",
        swiftSettings: answersFolder == "Solutions" ? [.define("WORKBOOK_SOLUTIONS")] : []))

let package = Package(
    name: "LearnerFromScratch",
    products: chapters.map { .executable(name: $0, targets: [$0]) }
        + [
            .executable(name: "EngineBench", targets: ["EngineBench"]),
            .executable(name: "FitBench", targets: ["FitBench"]),
            .executable(name: "GPUCheck", targets: ["GPUCheck"])
        ]
        + exercises.map {
            .executable(name: "exercise-\(exerciseNumber($0))", targets: ["exercise-\(exerciseNumber($0))"])
        },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: targets,
    swiftLanguageModes: [.v5]
)
