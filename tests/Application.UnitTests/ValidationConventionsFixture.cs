using Scheduler.Application.Common.Validation;
using Scheduler.Application.UnitTests;

[assembly: AssemblyFixture(typeof(ValidationConventionsFixture))]

namespace Scheduler.Application.UnitTests;

public sealed class ValidationConventionsFixture
{
    public ValidationConventionsFixture() => ValidationConventions.Apply();
}
