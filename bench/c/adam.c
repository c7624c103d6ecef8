// The ceiling for torchlet's Adam step: PyTorch's single-tensor Adam (the path
// torch.optim.Adam takes on CPU; torch/optim/adam.py, _single_tensor_adam, amsgrad off,
// no weight decay) as a plain float32 loop, compiled by `gcc -O3 -march=native
// -fno-math-errno` (bench/lib/processes.mjs: the last flag changes no result, it lets gcc
// vectorise sqrtf instead of calling libm per element).
// Per element, in PyTorch's op order with each scalar rounded to float as its CPU kernels do:
//   exp_avg.lerp_(grad, 1 - beta1)              m = m + w1 * (g - m)          (weight < 0.5)
//   exp_avg_sq.mul_(beta2).addcmul_(g, g, 1-b2) v = v * b2;  v = v + c2 * g * g
//   denom = exp_avg_sq.sqrt() / bc2_sqrt + eps  d = sqrt(v) / s2 + eps
//   param.addcdiv_(exp_avg, denom, -step_size)  p = p + (-step_size) * (m / d)
// The bias corrections and step size are computed in double, as Python computes them.
//
// Usage: adam EACH TENSORS WARMUP_MS SAMPLE_MS SAMPLES CHECK_STEPS
// Prints one line, "BENCH_RESULT " and JSON {"check":[...],"ms":[...],"inner":N}: ms holds
// the per-step milliseconds of each timed batch of `inner` steps; check is the change of
// sampled parameters (of the first and the last tensor) after CHECK_STEPS steps from fresh
// state (none when CHECK_STEPS is 0), every input made by the same generator as
// bench/lib/data.mjs. The timed steps run on fresh state too.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct { float *p, *g, *m, *v; } Slot;
typedef struct { Slot *slots; long each; int tensors; long step; } Adam;

static const double LR = 1e-3, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

// xorshift32 as in bench/lib/data.mjs: the same seeds give the same float32 inputs there.
static uint32_t seed_of(uint32_t stream, uint32_t k) {
  uint32_t s = stream * 0x9E3779B1u + k * 0x85EBCA6Bu + 1u;
  return s == 0 ? 1u : s;
}
static float next_unit(uint32_t *x) {  // uniform in [-1, 1), 24-bit: exact in float32
  uint32_t s = *x;
  s ^= s << 13; s ^= s >> 17; s ^= s << 5;
  *x = s;
  return (float)((double)(s >> 8) * (1.0 / 8388608.0) - 1.0);
}
static void fill_params(float *a, long n, uint32_t k) {
  uint32_t x = seed_of(1, k);
  for (long i = 0; i < n; i++) a[i] = next_unit(&x);
}
// |g| in [0.1, 1): no near-zero grads. Stream 2 is the timed steps' gradient; check step s
// (from 1) uses stream 2 + s, so the check sees a gradient that changes from step to step.
static void fill_grads(float *a, long n, uint32_t k, uint32_t stream) {
  uint32_t x = seed_of(stream, k);
  for (long i = 0; i < n; i++) {
    double u = next_unit(&x);
    a[i] = (float)(u >= 0 ? 0.1 + 0.9 * u : -0.1 + 0.9 * u);
  }
}

static float *alloc_floats(long n) {
  float *a = aligned_alloc(64, (size_t)(((n * sizeof(float)) + 63) / 64 * 64));
  if (!a) { fprintf(stderr, "adam: out of memory for %ld floats\n", n); exit(1); }
  return a;
}

static Adam adam_new(long each, int tensors) {
  Adam a = { calloc((size_t)tensors, sizeof(Slot)), each, tensors, 0 };
  for (int k = 0; k < tensors; k++) {
    Slot *s = &a.slots[k];
    s->p = alloc_floats(each); s->g = alloc_floats(each);
    s->m = alloc_floats(each); s->v = alloc_floats(each);
    fill_params(s->p, each, (uint32_t)k);
    fill_grads(s->g, each, (uint32_t)k, 2);
    for (long i = 0; i < each; i++) { s->m[i] = 0.0f; s->v[i] = 0.0f; }
  }
  return a;
}

static void adam_free(Adam *a) {
  for (int k = 0; k < a->tensors; k++) {
    free(a->slots[k].p); free(a->slots[k].g); free(a->slots[k].m); free(a->slots[k].v);
  }
  free(a->slots);
}

static void adam_step(Adam *a) {
  a->step++;
  const double bc1 = 1.0 - pow(BETA1, (double)a->step);
  const double bc2 = 1.0 - pow(BETA2, (double)a->step);
  const float w1 = (float)(1.0 - BETA1), b2 = (float)BETA2, c2 = (float)(1.0 - BETA2);
  const float s2 = (float)sqrt(bc2), eps = (float)EPS, neg_step = (float)(-(LR / bc1));
  for (int k = 0; k < a->tensors; k++) {
    float *restrict p = a->slots[k].p, *restrict m = a->slots[k].m, *restrict v = a->slots[k].v;
    const float *restrict g = a->slots[k].g;
    for (long i = 0; i < a->each; i++) {
      const float gi = g[i];
      const float mi = m[i] + w1 * (gi - m[i]);
      float vi = v[i] * b2;
      vi = vi + c2 * gi * gi;
      const float d = sqrtf(vi) / s2 + eps;
      p[i] = p[i] + neg_step * (mi / d);
      m[i] = mi;
      v[i] = vi;
    }
  }
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

// The indices whose change is compared (bench/lib/data.mjs sampleIndices).
static int sample_indices(long n, long *out) {
  int c = 0;
  const long head = n < 4 ? n : 4;
  for (long i = 0; i < head; i++) out[c++] = i;
  for (int j = 1; j <= 12; j++) out[c++] = (long)(((double)j * (double)n) / 13.0);
  out[c++] = n - 1;
  return c;
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: adam EACH TENSORS WARMUP_MS SAMPLE_MS SAMPLES CHECK_STEPS\n");
    return 2;
  }
  const long each = atol(argv[1]);
  const int tensors = atoi(argv[2]);
  const double warmup_ms = atof(argv[3]), sample_ms = atof(argv[4]);
  const int samples = atoi(argv[5]), check_steps = atoi(argv[6]);
  if (each < 1 || tensors < 1 || samples < 1 || check_steps < 0) {
    fprintf(stderr, "adam: EACH, TENSORS and SAMPLES must be ≥ 1 and CHECK_STEPS ≥ 0\n");
    return 2;
  }

  printf("BENCH_RESULT {\"check\":[");
  if (check_steps > 0) {
    Adam a = adam_new(each, tensors);
    long idx[32];
    const int n_idx = sample_indices(each, idx);
    const int which[2] = { 0, tensors - 1 };
    float before[2][32];
    for (int w = 0; w < 2; w++) for (int j = 0; j < n_idx; j++) before[w][j] = a.slots[which[w]].p[idx[j]];
    for (int s = 1; s <= check_steps; s++) {
      for (int k = 0; k < tensors; k++) fill_grads(a.slots[k].g, each, (uint32_t)k, 2u + (uint32_t)s);
      adam_step(&a);
    }
    int first = 1;
    for (int w = 0; w < 2; w++) for (int j = 0; j < n_idx; j++) {
      printf(first ? "%.9g" : ",%.9g", (double)a.slots[which[w]].p[idx[j]] - (double)before[w][j]);
      first = 0;
    }
    adam_free(&a);
  }
  printf("],\"ms\":[");

  Adam a = adam_new(each, tensors);
  // Warm up (at least two steps), then size the batch so one sample lasts sample_ms.
  double t0 = now_ms();
  long calls = 0;
  do { adam_step(&a); calls++; } while (calls < 2 || now_ms() - t0 < warmup_ms);
  const double per_call = (now_ms() - t0) / (double)calls;
  long inner = (long)ceil(sample_ms / per_call);
  if (inner < 1) inner = 1;
  for (int s = 0; s < samples; s++) {
    const double t1 = now_ms();
    for (long k = 0; k < inner; k++) adam_step(&a);
    printf(s == 0 ? "%.6g" : ",%.6g", (now_ms() - t1) / (double)inner);
  }
  printf("],\"inner\":%ld}\n", inner);
  adam_free(&a);
  return 0;
}
