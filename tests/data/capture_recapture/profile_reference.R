# Profile-likelihood intervals of the total as Rcapture's closedpCI.t computes them (Cormack
# 1992): the unseen cell holds N - n, R's glm fits the model to all 2^K cells, and
#   l(N) = -deviance / 2 + log(N!) - log((N - n)!) + (N - n) log(N - n) - N log(N).
# Rcapture replaces the log-factorials by Stirling's formula above N = 100; `stirling = FALSE`
# keeps them exact, as darkfigure does. The ends are where 2 (max l - l(N)) = qchisq(level, 1).
# Run with Rscript (base R only); tests/estimators/lists_test.cpp quotes its output.
histories <- function(k) {
  # Rcapture's order: all lists first, the first list changing slowest; no unseen row.
  as.matrix(expand.grid(rep(list(1:0), k))[-2^k, k:1, drop = FALSE])
}
profile_ci <- function(y, k, formula, level = 0.95, stirling = TRUE) {
  h <- histories(k)
  colnames(h) <- paste0("c", 1:k)
  X <- model.matrix(formula, as.data.frame(h))
  control <- list(epsilon = 1e-12, maxit = 200)
  fit <- glm(y ~ X - 1, family = poisson, control = control)
  n <- sum(y)
  N <- n + exp(coef(fit)[[1]])
  se <- sqrt(exp(coef(fit)[[1]]) + exp(2 * coef(fit)[[1]]) * vcov(fit)[1, 1])
  Xa <- rbind(X, c(1, rep(0, ncol(X) - 1)))
  loglik <- function(Nt) {
    n0 <- Nt - n
    ya <- c(y, n0)
    g <- suppressWarnings(glm(ya ~ Xa - 1, family = poisson, control = control))
    ct <- if (stirling && Nt > 100) {
      if (n0 == 0 || n0 == 1) -Nt + 0.5 * log(2 * pi * Nt) else n0 - Nt - 0.5 * log(n0 / Nt)
    } else {
      lgamma(Nt + 1) - lgamma(n0 + 1) + (if (n0 > 0) n0 * log(n0) else 0) - Nt * log(Nt)
    }
    (g$deviance - 2 * ct) / -2
  }
  top <- optimize(loglik, c(n, 3 * N), tol = 1e-8, maximum = TRUE)
  cut <- top$objective - qchisq(level, 1) / 2
  end <- function(a, b) uniroot(function(x) loglik(x) - cut, c(a, b), tol = 1e-9)$root
  lower <- if (loglik(n) >= cut) n else end(n, top$maximum)
  c(N = N, se = se, Nmax = top$maximum, lower = lower, upper = end(top$maximum, 20 * N))
}
both <- function(y, k, formula) {
  rbind(stirling = profile_ci(y, k, formula), exact = profile_ci(y, k, formula, stirling = FALSE))
}

# Seber (1982) p.107: histories 11, 10, 01.
print(both(c(167, 781, 254), 2, ~ c1 + c2), digits = 10)
# Cormack, Chang and Smith (2000) Table 3b: histories 111, 110, 101, 100, 011, 010, 001.
cormack <- c(72, 5, 29, 54, 24, 3, 14)
for (f in list(~ c1 + c2 + c3, ~ c1 + c2 + c3 + c2:c3, ~ c1 + c2 + c3 + c1:c2 + c2:c3,
               ~ c1 + c2 + c3 + c1:c3 + c2:c3, ~ (c1 + c2 + c3)^2)) {
  print(both(cormack, 3, f), digits = 10)
}

# Output (R 4, this script):
#          N            se           Nmax        lower       upper
# stirling 2389.868263  130.3805729  2386.269078 2155.997240 2670.326945
# exact    2389.868263  130.3805729  2386.269794 2155.997955 2670.327759
# independence
# stirling 209.34335    3.42123442   208.6473754 203.1800713 216.5179735
# exact    209.34335    3.42123442   208.6635930 203.2101001 216.5310908
# c2:c3
# stirling 221.8867925  6.612240919  220.9277749 210.2453565 236.1929864
# exact    221.8867925  6.612240919  220.9366211 210.2562787 236.2013631
# c1:c2 + c2:c3
# stirling 227.0689655  10.51809708  225.1866467 210.2140826 252.0295550
# exact    227.0689655  10.51809708  225.2010444 210.2298274 252.0458807
# c1:c3 + c2:c3
# stirling 233.4        24.73281221  225.6133242 203.9482072 311.3467994
# exact    233.4        24.73281221  225.6693055 204.0086577 311.4536881
# all two-way
# stirling 247.9241379  40.21893238  234.7992882 204.6896774 388.9938297
# exact    247.9241379  40.21893238  234.8683609 204.7491302 389.1495830
