using Notebooks.Kernel.Cli;

return CommandLine.Run(args);
