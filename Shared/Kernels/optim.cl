// In-place updates: the GPU side of CPUBackend.axpy (gradient accumulation, and the optimiser's
// `p -= …` through Tensor's -=).
// OpenCL C 1.2. One work-item per element.

// y[i] += alpha * x[i].
kernel void axpy(float alpha, global const float *x, global float *y, int count) {
    int i = get_global_id(0);
    if (i < count) y[i] += alpha * x[i];
}
