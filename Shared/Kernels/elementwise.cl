// Element-wise kernels: the GPU side of CPUBackend.unary, .binary and .affine.
// OpenCL C 1.2. One work-item per output element; the op is a kernel argument, so one program serves
// every op (the switch is uniform across the work-group, so it costs no divergence).

// Must match `UnaryOp` in Shared/Engine/Backend/Backend.swift.
#define U_EXP 0
#define U_LOG 1
#define U_RELU 2
#define U_SQRT 3
#define U_POW 4
#define U_ABS 5

// Must match `BinaryOp` in Shared/Engine/Backend/Backend.swift.
#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_EQ 4
#define B_NE 5
#define B_GT 6
#define B_LT 7
#define B_GE 8
#define B_LE 9
#define B_RELU_GRAD 10

// out[i] = op(x[offset + i]); `param` is the exponent of pow.
kernel void unary(int op, global const float *x, int offset, global float *out, int count, float param) {
    int i = get_global_id(0);
    if (i >= count) return;
    float v = x[offset + i];
    float r;
    switch (op) {
    case U_EXP: r = exp(v); break;
    case U_LOG: r = log(v); break;
    case U_RELU: r = (0.0f >= v) ? 0.0f : v; break; // NaN stays NaN, as Swift.max does
    case U_SQRT: r = sqrt(v); break;
    case U_POW: r = (param == 2.0f) ? v * v : pow(v, param); break;
    case U_ABS: r = fabs(v); break;
    default: r = NAN;
    }
    out[i] = r;
}

// out[i] = x[offset + i] * scale + shift (kept as a multiply then an add, as on the CPU).
kernel void affine(global const float *x, int offset, global float *out, int count, float scale, float shift) {
    int i = get_global_id(0);
    if (i < count) {
        float p = x[offset + i] * scale;
        out[i] = p + shift;
    }
}

// The same unrolled odometer as copy.cl, walking two operands at once.
#define PEEL2(component, axis)                                   \
    if (rank > axis) {                                           \
        int q = index / dims.component;                          \
        int r = index - q * dims.component;                      \
        ia += r * aStrides.component;                            \
        ib += r * bStrides.component;                            \
        index = q;                                               \
    }

// out[i] = op(a[ia], b[ib]) where (ia, ib) walk the broadcast plan: stride 0 repeats an element.
kernel void binary(int op, global const float *a, int aOffset, global const float *b, int bOffset,
                   global float *out, int count, int rank, int8 dims, int8 aStrides, int8 bStrides) {
    int i = get_global_id(0);
    if (i >= count) return;
    int index = i, ia = aOffset, ib = bOffset;
    PEEL2(s7, 0) PEEL2(s6, 1) PEEL2(s5, 2) PEEL2(s4, 3)
    PEEL2(s3, 4) PEEL2(s2, 5) PEEL2(s1, 6) PEEL2(s0, 7)
    float x = a[ia], y = b[ib];
    float r;
    switch (op) {
    case B_ADD: r = x + y; break;
    case B_SUB: r = x - y; break;
    case B_MUL: r = x * y; break;
    case B_DIV: r = x / y; break;
    case B_EQ: r = (x == y) ? 1.0f : 0.0f; break;
    case B_NE: r = (x != y) ? 1.0f : 0.0f; break;
    case B_GT: r = (x > y) ? 1.0f : 0.0f; break;
    case B_LT: r = (x < y) ? 1.0f : 0.0f; break;
    case B_GE: r = (x >= y) ? 1.0f : 0.0f; break;
    case B_LE: r = (x <= y) ? 1.0f : 0.0f; break;
    case B_RELU_GRAD: r = (y > 0.0f) ? x : 0.0f; break;
    default: r = NAN;
    }
    out[i] = r;
}
