namespace Notebooks.Formatters.Training { public sealed class LossCurve { public string ToHtml() => ""; public string ToSvg() => ""; } public sealed class ProgressView { public string ToHtml() => ""; } }
namespace Notebooks.Formatters { public interface IDisplayHandle { void Update(object o); } }
