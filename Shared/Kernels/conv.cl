// Patch unfolding for convolution: the GPU side of CPUBackend.im2col and .col2im. OpenCL C 1.2.
// Input x is NCHW; col is [batch * outH * outW, channels * kernelH * kernelW], one row per output
// pixel (n, oy, ox), columns ordered (c, ky, kx).

// One work-item per element of col (so the writes are coalesced); padding reads as zero.
kernel void im2col(global const float *x, global float *col,
                   int channels, int height, int width, int kernelH, int kernelW,
                   int stride, int padding, int outH, int outW, int total) {
    int idx = get_global_id(0);
    if (idx >= total) return;
    int patch = channels * kernelH * kernelW;
    int row = idx / patch, p = idx - row * patch;
    int ox = row % outW, t = row / outW;
    int oy = t % outH, n = t / outH;
    int kx = p % kernelW; t = p / kernelW;
    int ky = t % kernelH, c = t / kernelH;
    int iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
    float v = 0.0f;
    if (iy >= 0 && iy < height && ix >= 0 && ix < width)
        v = x[((n * channels + c) * height + iy) * width + ix];
    col[idx] = v;
}

// The adjoint of im2col as a gather: one work-item per input pixel (n, c, y, x) sums every patch
// entry that read it, so no two work-items write the same place (no atomics, deterministic order).
// Pixel (y, x) was read at kernel offset (ky, kx) by output pixel oy = (y + padding - ky) / stride
// when that division is exact and oy is in range; likewise for x.
kernel void col2im(global const float *col, global float *out,
                   int channels, int height, int width, int kernelH, int kernelW,
                   int stride, int padding, int outH, int outW, int total) {
    int idx = get_global_id(0);
    if (idx >= total) return;
    int x = idx % width, t = idx / width;
    int y = t % height; t /= height;
    int c = t % channels, n = t / channels;
    int patch = channels * kernelH * kernelW;
    float s = 0.0f;
    for (int ky = 0; ky < kernelH; ++ky) {
        int dy = y + padding - ky;
        if (dy < 0 || dy % stride != 0) continue;
        int oy = dy / stride;
        if (oy >= outH) continue;
        for (int kx = 0; kx < kernelW; ++kx) {
            int dx = x + padding - kx;
            if (dx < 0 || dx % stride != 0) continue;
            int ox = dx / stride;
            if (ox >= outW) continue;
            s += col[((n * outH + oy) * outW + ox) * patch + (c * kernelH + ky) * kernelW + kx];
        }
    }
    out[idx] = s;
}
