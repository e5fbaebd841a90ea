import COpenCL

/// One argument of a kernel launch, in the types the `.cl` files declare.
enum KernelArgument {
    /// An OpenCL C `int` (sizes, offsets, op codes); checked to fit 32 bits.
    case int(Int)
    /// An OpenCL C `float`.
    case float(Float)
    /// A `global float *`: the device buffer of a storage.
    case buffer(cl_mem)
    /// An OpenCL C `int8`: up to 8 sizes or strides of a strided layout, innermost in `s7`, unused
    /// leading components filled with `pad`.
    case int8([Int], pad: Int)
}

/// Sets the arguments of `kernel` and enqueues it on `queue` (no wait: the queue is in order, and
/// only a read back waits).
///
/// `global` is rounded up to a multiple of `local`; kernels check their own bounds.
func launch(
    _ kernel: cl_kernel, _ name: String, queue: cl_command_queue,
    _ arguments: [KernelArgument], global: [Int], local: [Int]
) {
    for (index, argument) in arguments.enumerated() {
        let i = cl_uint(index)
        let status: cl_int
        switch argument {
        case .int(let value):
            guard var v = Int32(exactly: value) else {
                engineFailure("OpenCL \(name)", "argument \(index) = \(value) does not fit the kernels' 32-bit indices")
            }
            status = clSetKernelArg(kernel, i, 4, &v)
        case .float(var value):
            status = clSetKernelArg(kernel, i, 4, &value)
        case .buffer(let mem):
            var m: cl_mem? = mem
            status = clSetKernelArg(kernel, i, MemoryLayout<cl_mem?>.size, &m)
        case .int8(let values, let pad):
            precondition(values.count <= 8)
            var v = [Int32](repeating: Int32(pad), count: 8)
            for (j, value) in values.enumerated() {
                guard let x = Int32(exactly: value) else {
                    engineFailure("OpenCL \(name)", "layout value \(value) does not fit the kernels' 32-bit indices")
                }
                v[8 - values.count + j] = x
            }
            status = clSetKernelArg(kernel, i, 32, &v)
        }
        clCheck(status, "clSetKernelArg(\(name), argument \(index))")
    }
    var globalSize = [Int](repeating: 0, count: global.count)
    for d in global.indices { globalSize[d] = (global[d] + local[d] - 1) / local[d] * local[d] }
    var localSize = local
    clCheck(
        clEnqueueNDRangeKernel(queue, kernel, cl_uint(global.count), nil, &globalSize, &localSize, 0, nil, nil),
        "clEnqueueNDRangeKernel(\(name), global \(globalSize), local \(localSize))")
}
