// Filling and strided copies: the GPU side of CPUBackend.fill and CPUBackend.copyStrided.
// OpenCL C 1.2. One work-item per output element.

// A strided layout of rank <= 8 travels as two int8 vectors, innermost axis in component s7 and
// unused leading axes set to size 1, stride 0. OpenCL C cannot index a vector with a variable, so the
// odometer is unrolled: each step peels the innermost remaining axis off the linear index.
#define PEEL(component, axis)                                  \
    if (rank > axis) {                                         \
        int q = index / dims.component;                        \
        offset += (index - q * dims.component) * strides.component; \
        index = q;                                             \
    }

// The element offset of linear (row-major) position `index` in the layout (dims, strides).
inline int strided_offset(int index, int rank, int8 dims, int8 strides) {
    int offset = 0;
    PEEL(s7, 0) PEEL(s6, 1) PEEL(s5, 2) PEEL(s4, 3)
    PEEL(s3, 4) PEEL(s2, 5) PEEL(s1, 6) PEEL(s0, 7)
    return offset;
}

// out[i] = value for i < count.
kernel void fill(global float *out, int count, float value) {
    int i = get_global_id(0);
    if (i < count) out[i] = value;
}

// out[outOffset + i] = src[offset + strided_offset(i)]: gathers a view into a contiguous block.
kernel void copy_strided(global const float *src, int offset, global float *out, int outOffset,
                         int count, int rank, int8 dims, int8 strides) {
    int i = get_global_id(0);
    if (i < count) out[outOffset + i] = src[offset + strided_offset(i, rank, dims, strides)];
}
