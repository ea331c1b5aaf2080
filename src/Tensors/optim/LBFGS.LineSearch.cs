namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// A number as torch/optim/lbfgs.py holds it: a Python float (double) or a 0-dim tensor. Arithmetic between them
        /// follows Python's: two floats give a float, anything with a tensor gives a tensor op (a float taken as a scalar,
        /// so a float32 tensor stays float32); comparisons give bool as <c>bool(tensor)</c> does; <see cref="Min"/> and
        /// <see cref="Max"/> are Python's builtins (the first argument unless the second is strictly smaller/larger).
        /// </summary>
        internal readonly struct Num
        {
            private readonly double _d;
            private readonly Tensor? _t;

            private Num(double d) { _d = d; _t = null; }
            private Num(Tensor t) { _d = 0; _t = t; }

            public static implicit operator Num(double d) => new(d);
            public static implicit operator Num(Tensor t) => new(t);
            public static explicit operator Tensor(Num n) => n._t ?? throw new InvalidOperationException("a float where L-BFGS expects a tensor");

            /// <summary>The value as an alpha argument (a tensor's value read as Python's Scalar conversion does).</summary>
            public Scalar Scalar => _t is null ? _d : _t.item<double>();

            private static Num Apply(Num a, Num b, Func<double, double, double> f, Func<Tensor, Scalar, Tensor> ts,
                Func<Scalar, Tensor, Tensor> st, Func<Tensor, Tensor, Tensor> tt) =>
                a._t is null ? (b._t is null ? f(a._d, b._d) : st(a._d, b._t)) : b._t is null ? ts(a._t, b._d) : tt(a._t, b._t);

            public static Num operator +(Num a, Num b) => Apply(a, b, (x, y) => x + y, (x, y) => x + y, (x, y) => x + y, (x, y) => x + y);
            public static Num operator -(Num a, Num b) => Apply(a, b, (x, y) => x - y, (x, y) => x - y, (x, y) => x - y, (x, y) => x - y);
            public static Num operator *(Num a, Num b) => Apply(a, b, (x, y) => x * y, (x, y) => x * y, (x, y) => x * y, (x, y) => x * y);
            public static Num operator /(Num a, Num b) => Apply(a, b, (x, y) => x / y, (x, y) => x / y, (x, y) => x / y, (x, y) => x / y);
            public static Num operator -(Num a) => a._t is null ? -a._d : -a._t;

            private static bool Test(Num a, Num b, Func<double, double, bool> f, Func<Tensor, Scalar, Tensor> ts, Func<Scalar, Tensor, Tensor> st,
                Func<Tensor, Tensor, Tensor> tt) =>
                a._t is null ? (b._t is null ? f(a._d, b._d) : (bool)st(a._d, b._t)) : b._t is null ? (bool)ts(a._t, b._d) : (bool)tt(a._t, b._t);

            public static bool operator <(Num a, Num b) => Test(a, b, (x, y) => x < y, (x, y) => x < y, (x, y) => x < y, (x, y) => x < y);
            public static bool operator >(Num a, Num b) => Test(a, b, (x, y) => x > y, (x, y) => x > y, (x, y) => x > y, (x, y) => x > y);
            public static bool operator <=(Num a, Num b) => Test(a, b, (x, y) => x <= y, (x, y) => x <= y, (x, y) => x <= y, (x, y) => x <= y);
            public static bool operator >=(Num a, Num b) => Test(a, b, (x, y) => x >= y, (x, y) => x >= y, (x, y) => x >= y, (x, y) => x >= y);

            /// <summary>Python's abs(): Tensor.__abs__ or float's.</summary>
            public Num Abs() => _t is null ? Math.Abs(_d) : _t.abs();
            public Num Pow2() => _t is null ? _d * _d : _t.pow(2);
            public Num Sqrt() => _t is null ? Math.Sqrt(_d) : _t.sqrt();
            public static Num Min(Num a, Num b) => b < a ? b : a;
            public static Num Max(Num a, Num b) => b > a ? b : a;
        }

        /// <summary>torch/optim/lbfgs.py's _cubic_interpolate and _strong_wolfe, line for line.</summary>
        internal static class StrongWolfe
        {
            public delegate (double f, Tensor g) Objective(List<Tensor> x, Num t, Tensor d);

            public static Num CubicInterpolate(Num x1, Num f1, Num g1, Num x2, Num f2, Num g2, (Num min, Num max)? bounds = null)
            {
                // ported from https://github.com/torch/optim/blob/master/polyinterp.lua
                // Compute bounds of interpolation area
                var (xmin_bound, xmax_bound) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1));
                // Most common case: cubic interpolation of 2 points w/ function and derivative values for both
                var d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2);
                var d2_square = d1.Pow2() - g1 * g2;
                if (d2_square >= 0.0)
                {
                    var d2 = d2_square.Sqrt();
                    var min_pos = x1 <= x2
                        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
                        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2));
                    return Num.Min(Num.Max(min_pos, xmin_bound), xmax_bound);
                }
                return (xmin_bound + xmax_bound) / 2.0;
            }

            private static Num MaxOf(Num[] b) => b.Length == 1 ? b[0] : Num.Max(b[0], b[1]);
            private static Num MinOf(Num[] b) => b.Length == 1 ? b[0] : Num.Min(b[0], b[1]);

            public static (double f_new, Tensor g_new, Num t, long ls_func_evals) Search(Objective obj_func, List<Tensor> x, Num t, Tensor d, double f,
                Tensor g, Tensor gtd, double c1 = 1e-4, double c2 = 0.9, double tolerance_change = 1e-9, int max_ls = 25)
            {
                // ported from https://github.com/torch/optim/blob/master/lswolfe.lua
                var d_norm = d.abs().max();
                g = g.clone();
                // evaluate objective and gradient using initial step
                var (f_new, g_new) = obj_func(x, t, d);
                long ls_func_evals = 1;
                Num gtd_new = g_new.dot(d);

                // bracket an interval containing a point satisfying the Wolfe criteria
                Num t_prev = 0.0, f_prev = f, gtd_prev = gtd;
                var g_prev = g;
                bool done = false;
                int ls_iter = 0;
                Num[] bracket = [], bracket_f = [], bracket_gtd = [];
                Tensor[] bracket_g = [];
                while (ls_iter < max_ls)
                {
                    // check conditions
                    if ((Num)f_new > f + c1 * t * gtd || (ls_iter > 1 && (Num)f_new >= f_prev))
                    {
                        bracket = [t_prev, t];
                        bracket_f = [f_prev, f_new];
                        bracket_g = [g_prev, g_new.clone()];
                        bracket_gtd = [gtd_prev, gtd_new];
                        break;
                    }
                    if (gtd_new.Abs() <= -c2 * (Num)gtd)
                    {
                        bracket = [t];
                        bracket_f = [f_new];
                        bracket_g = [g_new];
                        done = true;
                        break;
                    }
                    if (gtd_new >= 0.0)
                    {
                        bracket = [t_prev, t];
                        bracket_f = [f_prev, f_new];
                        bracket_g = [g_prev, g_new.clone()];
                        bracket_gtd = [gtd_prev, gtd_new];
                        break;
                    }

                    // interpolate
                    var min_step = t + 0.01 * (t - t_prev);
                    var max_step = t * 10.0;
                    var tmp = t;
                    t = CubicInterpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds: (min_step, max_step));

                    // next step
                    t_prev = tmp;
                    f_prev = f_new;
                    g_prev = g_new.clone();
                    gtd_prev = gtd_new;
                    (f_new, g_new) = obj_func(x, t, d);
                    ls_func_evals++;
                    gtd_new = g_new.dot(d);
                    ls_iter++;
                }

                // reached max number of iterations?
                if (ls_iter == max_ls)
                {
                    bracket = [0.0, t];
                    bracket_f = [f, f_new];
                    bracket_g = [g, g_new];
                }

                // zoom phase: we now have a point satisfying the criteria, or a bracket around it. We refine the bracket
                // until we find the exact point satisfying the criteria
                bool insuf_progress = false;
                // find high and low points in bracket
                var (low_pos, high_pos) = bracket_f[0] <= bracket_f[^1] ? (0, 1) : (1, 0);
                while (!done && ls_iter < max_ls)
                {
                    // line-search bracket is so small
                    if ((bracket[1] - bracket[0]).Abs() * d_norm < tolerance_change) break;

                    // compute new trial value
                    t = CubicInterpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);

                    // test that we are making sufficient progress: in case `t` is so close to boundary, we mark that we
                    // are making insufficient progress, and if + we have made insufficient progress in the last step, or
                    // + `t` is at one of the boundary, we will move `t` to a position which is `0.1 * len(bracket)` away
                    // from the nearest boundary point.
                    var eps = 0.1 * (MaxOf(bracket) - MinOf(bracket));
                    if (Num.Min(MaxOf(bracket) - t, t - MinOf(bracket)) < eps)
                    {
                        // interpolation close to boundary
                        if (insuf_progress || t >= MaxOf(bracket) || t <= MinOf(bracket))
                        {
                            // evaluate at 0.1 away from boundary
                            t = (t - MaxOf(bracket)).Abs() < (t - MinOf(bracket)).Abs() ? MaxOf(bracket) - eps : MinOf(bracket) + eps;
                            insuf_progress = false;
                        }
                        else insuf_progress = true;
                    }
                    else insuf_progress = false;

                    // Evaluate new point
                    (f_new, g_new) = obj_func(x, t, d);
                    ls_func_evals++;
                    gtd_new = g_new.dot(d);
                    ls_iter++;

                    if ((Num)f_new > f + c1 * t * gtd || (Num)f_new >= bracket_f[low_pos])
                    {
                        // Armijo condition not satisfied or not lower than lowest point
                        bracket[high_pos] = t;
                        bracket_f[high_pos] = f_new;
                        bracket_g[high_pos] = g_new.clone();
                        bracket_gtd[high_pos] = gtd_new;
                        (low_pos, high_pos) = bracket_f[0] <= bracket_f[1] ? (0, 1) : (1, 0);
                    }
                    else
                    {
                        if (gtd_new.Abs() <= -c2 * (Num)gtd)
                        {
                            // Wolfe conditions satisfied
                            done = true;
                        }
                        else if (gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0.0)
                        {
                            // old high becomes new low
                            bracket[high_pos] = bracket[low_pos];
                            bracket_f[high_pos] = bracket_f[low_pos];
                            bracket_g[high_pos] = bracket_g[low_pos];
                            bracket_gtd[high_pos] = bracket_gtd[low_pos];
                        }

                        // new point becomes new low
                        bracket[low_pos] = t;
                        bracket_f[low_pos] = f_new;
                        bracket_g[low_pos] = g_new.clone();
                        bracket_gtd[low_pos] = gtd_new;
                    }
                }

                // return stuff
                t = bracket[low_pos];
                return (BracketF(bracket_f[low_pos]), bracket_g[low_pos], t, ls_func_evals);
            }

            /// <summary>The bracket's losses are Python floats (float(closure())); f_prev starts as one too.</summary>
            private static double BracketF(Num f) => (double)f.Scalar;
        }
    }
}
