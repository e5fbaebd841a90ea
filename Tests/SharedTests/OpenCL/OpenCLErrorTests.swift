import COpenCL
import Testing

@testable import Engine
@testable import Shared

/// The messages a learner sees when OpenCL goes wrong, and the device choice.
@Suite struct OpenCLErrorTests {
    @Test func errorCodesHaveTheirNames() {
        let error = OpenCLError(call: "clEnqueueNDRangeKernel(gemm)", code: -5)
        #expect(error.description == "clEnqueueNDRangeKernel(gemm) returned CL_OUT_OF_RESOURCES (-5)")
        #expect(OpenCLError.name(of: -54) == "CL_INVALID_WORK_GROUP_SIZE")
    }

    @Test func noDeviceIsExplained() {
        #expect(throws: OpenCLSetupError.self) { try OpenCLDevices.choose(from: [], override: nil) }
    }

    @Test(.enabled(if: GPUTest.available, "no OpenCL device"))
    func overrideByIndexOrNameAndUnknownNames() throws {
        let devices = OpenCLDevices.all()
        let byIndex = try OpenCLDevices.choose(from: devices, override: "0")
        #expect(byIndex.index == 0)
        let first = devices[0]
        let byName = try OpenCLDevices.choose(from: devices, override: String(first.name.prefix(4)).uppercased())
        #expect(byName.name == first.name)
        #expect(throws: OpenCLSetupError.self) { try OpenCLDevices.choose(from: devices, override: "no such device") }
        #expect(throws: OpenCLSetupError.self) { try OpenCLDevices.choose(from: devices, override: "99") }
        // Without an override a GPU wins wherever it is listed.
        let chosen = try OpenCLDevices.choose(from: devices, override: nil)
        #expect(chosen.isGPU || !devices.contains { $0.isGPU })
        #expect(OpenCLBackend.describe().hasPrefix("OpenCL device: "))
    }

    @Test(.enabled(if: GPUTest.available, "no OpenCL device"))
    func kernelBuildFailuresCarryTheFileAndTheLog() {
        let gpu = GPUTest.gpu
        do {
            _ = try KernelLibrary.build(
                source: "kernel void broken(global float *x) { x[0] = undefined_name; }",
                file: "broken.cl", options: "", context: gpu.context, device: gpu.deviceInfo.id)
            Issue.record("a broken kernel built")
        } catch let error as OpenCLError {
            #expect(error.code == CL_BUILD_PROGRAM_FAILURE)
            #expect(error.description.contains("broken.cl"))
            #expect(error.description.contains("undefined_name"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(.enabled(if: GPUTest.available, "no OpenCL device"))
    func kernelsAreFoundFromTheSourceTree() throws {
        let directory = try KernelSource.directory()
        #expect(directory.hasSuffix("Kernels"))
        let text = try KernelSource.read("gemm.cl")
        #expect(text.contains("kernel void gemm"))
    }
}
