#include <stdio.h>

static double zero(void) { return 0.0; }

int main(void) {
  double inf = 1.0 / zero();
  double ninf = -inf;
  printf("inf=%f ninf=%f\n", inf, ninf);
  printf("inf>1e308=%d ninf<-1e308=%d inf==inf=%d\n", inf > 1e308, ninf < -1e308, inf == inf);
  double nan = inf - inf;
  printf("nan==nan=%d nan!=nan=%d nan<1=%d nan>1=%d nan<=nan=%d\n", nan == nan, nan != nan,
         nan < 1, nan > 1, nan <= nan);
  int isnan = nan != nan;
  printf("isnan=%d\n", isnan);
  double pz = 0.0, nz = -0.0;
  printf("pz==nz=%d 1/pz=%f 1/nz=%f\n", pz == nz, 1 / pz, 1 / nz);
  printf("%e %e\n", inf, ninf);
  printf("%g %G\n", inf, ninf);
  printf("%5.1f|%-8f|%+f\n", inf, inf, inf);
  float finf = (float)inf;
  printf("finf=%f\n", finf);
  float fbig = 3.0e38f;
  fbig *= 10.0f;
  printf("fbig=%f\n", fbig);
  double denorm = 4.9406564584124654e-324;
  printf("denorm>0=%d denorm/2=%g\n", denorm > 0, denorm / 2);
  float fmin = 1.17549435e-38f;
  printf("fmin/2>0=%d\n", fmin / 2 > 0);
  return isnan + (pz == nz);
}
