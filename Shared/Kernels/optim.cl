// In-place updates: the GPU side of CPUBackend.axpy (gradient accumulation) and .sgdStep.
// OpenCL C 1.2. One work-item per element.

// y[i] += alpha * x[i].
kernel void axpy(float alpha, global const float *x, global float *y, int count) {
    int i = get_global_id(0);
    if (i < count) y[i] += alpha * x[i];
}

// The chapter's SGD step, fused with zeroing the gradient: p -= lr * (g + wd * p); g = 0.
kernel void sgd_step(global float *param, global float *grad, int count, float lr, float weightDecay) {
    int i = get_global_id(0);
    if (i < count) {
        float p = param[i];
        param[i] = p - lr * (grad[i] + weightDecay * p);
        grad[i] = 0.0f;
    }
}
