using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator compiles kernels into a dynamic assembly of this name; it must see the internal kernel
// parameter types (Dims, Strd ...) and element structs.
[assembly: InternalsVisibleTo("ILGPURuntime")]
