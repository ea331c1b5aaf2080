"""jupyter_kernel_test's conformance suite, pointed at the C# kernel.

Run by KernelConformanceTests (NUnit) with JUPYTER_PATH set to a temporary prefix holding the
kernelspec; it can also be run by hand once the kernelspec is installed:

    /usr/bin/python3 -m unittest -v test_csharp_kernel
"""
import os
import unittest

import jupyter_kernel_test


class CSharpKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("NOTEBOOKS_KERNEL_NAME", "notebooks-csharp")
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("oops");'

    completion_samples = [
        {"text": "Console.Wri", "matches": {"Write", "WriteLine"}},
        {"text": "Math.Cei", "matches": {"Ceiling"}},
    ]

    complete_code_samples = ["1", "var x = 1;", "Console.WriteLine(1);", "for (var i = 0; i < 3; i++) { }"]
    incomplete_code_samples = ["for (var i = 0; i < 3; i++) {", "Console.WriteLine(", "var s = \"\"\""]
    invalid_code_samples = ["var = ;", "int 1x = 2;"]

    code_display_data = [
        {"code": 'display("shown");', "mime": "text/plain"},
        {"code": '"<b>bold</b>".Display("text/html");', "mime": "text/html"},
    ]

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"abc".ToUpper()', "result": "ABC"},
    ]

    code_inspect_sample = "Console.WriteLine"

    code_clear_output = "clear_output();"

    code_generate_error = 'throw new InvalidOperationException("boom");'

    # A glob (SQLite's GLOB, as IPython's history search) matching exactly one of code_execute_result.
    code_history_pattern = "6 ?*"
    supported_history_operations = ("tail", "range", "search")


if __name__ == "__main__":
    unittest.main()
