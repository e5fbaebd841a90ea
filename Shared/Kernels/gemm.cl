// Matrix product C = alpha * op(A) * op(B) + beta * C, row-major: the GPU side of CPUBackend.gemm
// (cblas_sgemm). OpenCL C 1.2.
//
// Tiled and register-blocked. A work-group computes a TS_M x TS_N tile of C with (TS_N / WPT_N) x
// (TS_M / WPT_M) work-items, each owning a WPT_M x WPT_N micro-tile held in registers. The K axis is
// walked TS_K at a time: the whole group copies a TS_M x TS_K panel of A and a TS_K x TS_N panel of B
// into local memory (coalesced whichever way each operand is stored), then every work-item does
// WPT_M * WPT_N multiply-adds per WPT_M + WPT_N local reads. A work-item's rows and columns are spread
// TY and TX apart (not adjacent), so neighbouring work-items read neighbouring local addresses and
// write neighbouring global addresses.
//
// The host picks the tile sizes (-D options, one build per configuration) and, when C has too few
// tiles to fill the device while K is long (the weight gradient of a convolution: 16 x 27 outputs,
// 131072-long sums), splits K into slices (the third NDRange axis); each slice writes alpha * its
// partial product to a scratch block, and gemm_slices_sum adds the slices into C.

#ifndef TS_M
#define TS_M 64
#endif
#ifndef TS_N
#define TS_N 64
#endif
#ifndef TS_K
#define TS_K 16
#endif
#ifndef WPT_M
#define WPT_M 8
#endif
#ifndef WPT_N
#define WPT_N 8
#endif

#define TX (TS_N / WPT_N)
#define TY (TS_M / WPT_M)
#define THREADS (TX * TY)
#define LOADS_A (TS_M * TS_K / THREADS)
#define LOADS_B (TS_K * TS_N / THREADS)
// One float of padding per local row keeps the transposing panel stores free of bank conflicts.
#define PAD 1

// Global size (ceil(n / TS_N) * TX, ceil(m / TS_M) * TY, slices); local size (TX, TY, 1).
// Slice z covers k in [z * kChunk, min(k, (z + 1) * kChunk)) and writes at c + cOffset + z * sliceStride.
kernel __attribute__((reqd_work_group_size(TX, TY, 1)))
void gemm(int transA, int transB, int m, int n, int k, float alpha,
          global const float *a, int aOffset, int lda,
          global const float *b, int bOffset, int ldb,
          float beta, global float *c, int cOffset, int ldc,
          int kChunk, int sliceStride) {
    local float As[TS_K][TS_M + PAD];
    local float Bs[TS_K][TS_N + PAD];

    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * TX + tx;
    const int row0 = get_group_id(1) * TS_M, col0 = get_group_id(0) * TS_N;
    const int slice = get_group_id(2);
    const int kBegin = slice * kChunk, kEnd = min(k, kBegin + kChunk);
    a += aOffset;
    b += bOffset;

    float acc[WPT_M][WPT_N];
    #pragma unroll
    for (int i = 0; i < WPT_M; ++i)
        #pragma unroll
        for (int j = 0; j < WPT_N; ++j) acc[i][j] = 0.0f;

    for (int t0 = kBegin; t0 < kEnd; t0 += TS_K) {
        // Panel of A: element (row, kk) of op(A).
        #pragma unroll
        for (int l = 0; l < LOADS_A; ++l) {
            const int id = tid + l * THREADS;
            int r, kk;
            if (transA) { r = id % TS_M; kk = id / TS_M; }   // A stored [k, m]: rows are contiguous
            else        { kk = id % TS_K; r = id / TS_K; }   // A stored [m, k]: k is contiguous
            const int gr = row0 + r, gk = t0 + kk;
            float v = 0.0f;
            if (gr < m && gk < kEnd) v = transA ? a[gk * lda + gr] : a[gr * lda + gk];
            As[kk][r] = v;
        }
        // Panel of B: element (kk, col) of op(B).
        #pragma unroll
        for (int l = 0; l < LOADS_B; ++l) {
            const int id = tid + l * THREADS;
            int col, kk;
            if (transB) { kk = id % TS_K; col = id / TS_K; }  // B stored [n, k]
            else        { col = id % TS_N; kk = id / TS_N; }  // B stored [k, n]
            const int gc = col0 + col, gk = t0 + kk;
            float v = 0.0f;
            if (gc < n && gk < kEnd) v = transB ? b[gc * ldb + gk] : b[gk * ldb + gc];
            Bs[kk][col] = v;
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        #pragma unroll
        for (int kk = 0; kk < TS_K; ++kk) {
            float aReg[WPT_M], bReg[WPT_N];
            #pragma unroll
            for (int i = 0; i < WPT_M; ++i) aReg[i] = As[kk][ty + i * TY];
            #pragma unroll
            for (int j = 0; j < WPT_N; ++j) bReg[j] = Bs[kk][tx + j * TX];
            #pragma unroll
            for (int i = 0; i < WPT_M; ++i)
                #pragma unroll
                for (int j = 0; j < WPT_N; ++j) acc[i][j] = mad(aReg[i], bReg[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    global float *out = c + cOffset + slice * sliceStride;
    #pragma unroll
    for (int i = 0; i < WPT_M; ++i) {
        const int gr = row0 + ty + i * TY;
        if (gr >= m) continue;
        #pragma unroll
        for (int j = 0; j < WPT_N; ++j) {
            const int gc = col0 + tx + j * TX;
            if (gc >= n) continue;
            global float *dst = out + gr * ldc + gc;
            // beta == 0 must not read C: it may be uninitialised (NaN * 0 is NaN).
            *dst = (beta == 0.0f) ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *dst;
        }
    }
}

// C[i, j] = beta * C[i, j] + sum over z of partial[z, i, j] (partials are [slices, m, n], already
// scaled by alpha). One work-item per element of C.
kernel void gemm_slices_sum(global const float *partial, int slices, int m, int n,
                            float beta, global float *c, int cOffset, int ldc) {
    const int j = get_global_id(0), i = get_global_id(1);
    if (i >= m || j >= n) return;
    float s = 0.0f;
    for (int z = 0; z < slices; ++z) s += partial[(z * m + i) * n + j];
    global float *dst = c + cOffset + i * ldc + j;
    *dst = (beta == 0.0f) ? s : s + beta * *dst;
}
