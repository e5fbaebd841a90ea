// swift-tools-version:6.0
// The workbook: one library (`Shared`) that grows section by section, one executable per section of
// the chapter, exercises with their solutions, tests and benchmarks.
import PackageDescription

/// The chapter's sections, in order; each is an executable in `Chapters/<name>/`.
let chapters = [
    "00-Data", "01-Dataset", "02-Module", "03-SimpleCNN",
    "04-Loss", "05-Learner", "06-Callbacks", "07-Scheduling",
]

/// `Shared` is compiled with optimisation even in debug builds: learners type `swift run 05-Learner`,
/// and the tensor loops must not run at debug speed.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

var targets: [Target] = [
    .systemLibrary(name: "CBLAS", path: "Shared/System/CBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CJPEG", path: "Shared/System/CJPEG", pkgConfig: "libjpeg",
                   providers: [.apt(["libjpeg-dev"])]),
    .systemLibrary(name: "CPNG", path: "Shared/System/CPNG", pkgConfig: "libpng",
                   providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "COpenCL", path: "Shared/System/COpenCL", pkgConfig: "OpenCL",
                   providers: [.apt(["ocl-icd-opencl-dev"])]),
    // The setjmp/longjmp error handlers for libjpeg and libpng, and the decode/encode loops around them.
    .target(name: "CImageIO", dependencies: ["CJPEG", "CPNG"], path: "Shared/System/CImageIO",
            cSettings: [.unsafeFlags(["-O2"])]),
    .target(
        name: "Shared",
        dependencies: [
            "CBLAS", "CJPEG", "CPNG", "COpenCL", "CImageIO",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "Shared",
        exclude: ["System", "Kernels"],
        swiftSettings: optimized
    ),
    .executableTarget(name: "DataBench", dependencies: ["Shared"], path: "Benchmarks/DataBench",
                      swiftSettings: optimized),
    // The PyTorch fixtures ship as resources (`Bundle.module`); the script that writes them does not.
    .testTarget(name: "SharedTests", dependencies: ["Shared"], path: "Tests/SharedTests",
                exclude: ["Fixtures/make_fixtures.py"],
                resources: [.copy("Fixtures/engine_fixtures.json")]),
]

for name in chapters {
    targets.append(.executableTarget(name: name, dependencies: ["Shared"], path: "Chapters/\(name)"))
}

let package = Package(
    name: "LearnerFromScratch",
    products: chapters.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: targets,
    swiftLanguageModes: [.v5]
)
