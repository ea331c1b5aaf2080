using System.Xml.Linq;

namespace Notebooks.Formatters.Tests;

/// <summary>Our HTML is written as well-formed XHTML, so a strict XML parse is itself a check.</summary>
internal static class Xml
{
    public static XElement Parse(string html) => XElement.Parse("<root>" + html + "</root>");

    public static IEnumerable<XElement> ByClass(this XElement e, string cls) =>
        e.Descendants().Where(d => ((string?)d.Attribute("class"))?.Split(' ').Contains(cls) == true);

    public static IEnumerable<XElement> Named(this XElement e, string local) => e.Descendants().Where(d => d.Name.LocalName == local);
}
