import COpenCL

#if canImport(Glibc)
    import Glibc
#endif

/// One OpenCL device as the ICD loader lists it, with what the device choice needs to know.
public struct OpenCLDeviceInfo: CustomStringConvertible {
    /// Position in the list over all platforms (the index `WORKBOOK_OPENCL_DEVICE` accepts).
    public let index: Int
    /// The device's name (`NVIDIA H100 80GB HBM3`, `pthread-haswell-…`).
    public let name: String
    /// The platform's name (`NVIDIA CUDA`, `Portable Computing Language`).
    public let platformName: String
    /// Whether the device reports itself as a GPU.
    public let isGPU: Bool
    /// Compute units, global memory in bytes, and the largest work-group.
    public let computeUnits: Int, globalMemory: Int, maxWorkGroupSize: Int
    let platform: cl_platform_id
    let id: cl_device_id

    public var description: String {
        "[\(index)] \(name) (\(isGPU ? "GPU" : "not a GPU"), \(computeUnits) compute units, "
            + "\(globalMemory >> 20) MiB, platform \(platformName))"
    }
}

/// Finding the OpenCL devices of this machine and choosing the one to compute on.
public enum OpenCLDevices {
    /// Every device of every platform, in platform order. Empty when there is no platform (the ICD
    /// loader answers `CL_PLATFORM_NOT_FOUND_KHR`) or no device.
    public static func all() -> [OpenCLDeviceInfo] {
        var platformCount: cl_uint = 0
        guard clGetPlatformIDs(0, nil, &platformCount) == CL_SUCCESS, platformCount > 0 else { return [] }
        var platforms = [cl_platform_id?](repeating: nil, count: Int(platformCount))
        guard clGetPlatformIDs(platformCount, &platforms, nil) == CL_SUCCESS else { return [] }
        var found: [OpenCLDeviceInfo] = []
        for case let platform? in platforms {
            let platformName = platformString(platform, cl_platform_info(CL_PLATFORM_NAME))
            var deviceCount: cl_uint = 0
            guard clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), 0, nil, &deviceCount) == CL_SUCCESS,
                deviceCount > 0
            else { continue }
            var devices = [cl_device_id?](repeating: nil, count: Int(deviceCount))
            guard clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), deviceCount, &devices, nil) == CL_SUCCESS
            else { continue }
            for case let device? in devices {
                let type: cl_device_type = deviceValue(device, cl_device_info(CL_DEVICE_TYPE))
                let units: cl_uint = deviceValue(device, cl_device_info(CL_DEVICE_MAX_COMPUTE_UNITS))
                let memory: cl_ulong = deviceValue(device, cl_device_info(CL_DEVICE_GLOBAL_MEM_SIZE))
                let group: Int = deviceValue(device, cl_device_info(CL_DEVICE_MAX_WORK_GROUP_SIZE))
                found.append(
                    OpenCLDeviceInfo(
                        index: found.count, name: deviceString(device, cl_device_info(CL_DEVICE_NAME)),
                        platformName: platformName, isGPU: type & cl_device_type(CL_DEVICE_TYPE_GPU) != 0,
                        computeUnits: Int(units), globalMemory: Int(memory), maxWorkGroupSize: group,
                        platform: platform, id: device))
            }
        }
        return found
    }

    /// The device to use: the one `override` names (an index into `all()`, or a case-insensitive
    /// substring of a device name), else the first GPU over ALL platforms (a machine can list PoCL's
    /// CPU device on platform 0 and an NVIDIA GPU on platform 1), else the first device.
    /// Throws a message saying what was found when nothing fits.
    public static func choose(
        from devices: [OpenCLDeviceInfo],
        override: String? = environment("WORKBOOK_OPENCL_DEVICE")
    ) throws -> OpenCLDeviceInfo {
        guard !devices.isEmpty else {
            throw OpenCLSetupError(
                "no OpenCL platform or device found (is an ICD such as pocl-opencl-icd or the "
                    + "NVIDIA driver registered in /etc/OpenCL/vendors or OCL_ICD_VENDORS?)")
        }
        if let override, !override.isEmpty {
            if let index = Int(override) {
                guard devices.indices.contains(index) else {
                    throw OpenCLSetupError(
                        "WORKBOOK_OPENCL_DEVICE=\(override) is not a device index; devices are:\n"
                            + devices.map(\.description).joined(separator: "\n"))
                }
                return devices[index]
            }
            guard let match = devices.first(where: { $0.name.lowercased().contains(override.lowercased()) }) else {
                throw OpenCLSetupError(
                    "WORKBOOK_OPENCL_DEVICE=\(override) matches no device name; devices are:\n"
                        + devices.map(\.description).joined(separator: "\n"))
            }
            return match
        }
        return devices.first(where: \.isGPU) ?? devices[0]
    }

    /// The value of an environment variable, if set (`WORKBOOK_OPENCL_DEVICE`, `WORKBOOK_KERNELS`).
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    private static func platformString(_ platform: cl_platform_id, _ what: cl_platform_info) -> String {
        var size = 0
        guard clGetPlatformInfo(platform, what, 0, nil, &size) == CL_SUCCESS, size > 0 else { return "?" }
        var bytes = [CChar](repeating: 0, count: size + 1)
        _ = clGetPlatformInfo(platform, what, size, &bytes, nil)
        return String(cString: bytes).trimmingTrailingSpaces()
    }

    static func deviceString(_ device: cl_device_id, _ what: cl_device_info) -> String {
        var size = 0
        guard clGetDeviceInfo(device, what, 0, nil, &size) == CL_SUCCESS, size > 0 else { return "?" }
        var bytes = [CChar](repeating: 0, count: size + 1)
        _ = clGetDeviceInfo(device, what, size, &bytes, nil)
        return String(cString: bytes).trimmingTrailingSpaces()
    }

    static func deviceValue<T: BinaryInteger>(_ device: cl_device_id, _ what: cl_device_info) -> T {
        var value: T = 0
        _ = withUnsafeMutableBytes(of: &value) { clGetDeviceInfo(device, what, $0.count, $0.baseAddress, nil) }
        return value
    }
}

/// Why the OpenCL backend could not start (no device, a device the override does not name, …).
public struct OpenCLSetupError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

extension String {
    /// Without trailing spaces and NULs (some drivers pad their names).
    package func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\0" { s = s.dropLast() }
        return String(s)
    }
}
