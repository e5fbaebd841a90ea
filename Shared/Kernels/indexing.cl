// Picking and scattering one element per (row, column) pair, as nll does with x[range(n), target]:
// the GPU side of CPUBackend.gatherPairs and .scatterAddPairs. OpenCL C 1.2. Indices are whole
// numbers stored as floats (the engine's one element type).
//
// The host checks every index before launching (Tensor's x[rows, cols] reads them back and stops with
// the CPU's error), so an index out of range never reaches these kernels from the engine; the guards
// below still keep a direct call from touching memory it must not (NaN for gather, skipped for scatter).

// out[i] = x[rows[i] * rowStride + cols[i]].
kernel void gather_pairs(global const float *x, int rowStride, int rowCount,
                         global const float *rows, global const float *cols, int count, global float *out) {
    int i = get_global_id(0);
    if (i >= count) return;
    int r = (int)rows[i], c = (int)cols[i];
    out[i] = (r >= 0 && r < rowCount && c >= 0 && c < rowStride) ? x[r * rowStride + c] : NAN;
}

// out[rows[i] * rowStride + cols[i]] += values[i], without atomics and with the CPU's order of
// additions. Pairs may repeat: the work-item of the FIRST pair aiming at a place adds every value aimed
// there, in pair order; later work-items with the same target do nothing. That costs O(count^2)
// comparisons in all (count is a batch size for nll: 128 pairs are 8k comparisons), traded for
// determinism and no float atomics (which OpenCL 1.2 lacks).
kernel void scatter_add_pairs(global const float *values, int rowStride, int rowCount,
                              global const float *rows, global const float *cols, int count,
                              global float *out) {
    int i = get_global_id(0);
    if (i >= count) return;
    float r = rows[i], c = cols[i];
    for (int j = 0; j < i; ++j)
        if (rows[j] == r && cols[j] == c) return;      // an earlier pair owns this place
    int ri = (int)r, ci = (int)c;
    if (ri < 0 || ri >= rowCount || ci < 0 || ci >= rowStride) return;
    float s = out[ri * rowStride + ci];
    for (int j = i; j < count; ++j)
        if (rows[j] == r && cols[j] == c) s += values[j];
    out[ri * rowStride + ci] = s;
}
