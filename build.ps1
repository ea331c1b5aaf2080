# Windows/PowerShell twin of .ci/run: restore, build and test the solution.
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
dotnet restore Notebooks.sln
dotnet build Notebooks.sln -c Release --no-restore
dotnet test Notebooks.sln -c Release --no-build
exit $LASTEXITCODE
