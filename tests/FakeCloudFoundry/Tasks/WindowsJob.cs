using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// A Windows job object that kills every process in it when it is terminated or when its last handle closes
/// (<c>JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE</c>): the Windows counterpart of a Linux process group for an emulated
/// task. Processes a member starts join the job automatically. Best effort: when the job cannot be made (or the
/// process cannot join it) the caller falls back to killing the process tree. Public only for its layout test.
/// </summary>
public sealed class WindowsJob : IDisposable
{
    private const int JobObjectExtendedLimitInformation = 9;
    private const uint JobObjectLimitKillOnJobClose = 0x2000;

    private readonly SafeFileHandle _handle;

    private WindowsJob(SafeFileHandle handle) => _handle = handle;

    /// <summary>The size the marshaller gives the limit structure: 144 bytes in a 64-bit process, 112 in a 32-bit one
    /// (what Windows' headers say); checked by a test because the layout cannot be checked anywhere else here.</summary>
    public static int LimitInformationSize => Marshal.SizeOf<ExtendedLimitInformation>();

    [SupportedOSPlatform("windows")]
    public static WindowsJob? TryCreate()
    {
        var handle = CreateJobObjectW(IntPtr.Zero, null);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }
        var limits = new ExtendedLimitInformation { BasicLimitInformation = new BasicLimitInformation { LimitFlags = JobObjectLimitKillOnJobClose } };
        if (!SetInformationJobObject(handle, JobObjectExtendedLimitInformation, ref limits, (uint)LimitInformationSize))
        {
            handle.Dispose();
            return null;
        }
        return new WindowsJob(handle);
    }

    public bool TryAdd(Process process)
    {
        try
        {
            return AssignProcessToJobObject(_handle, process.Handle);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false; // the process is already gone
        }
    }

    /// <summary>Ends every process in the job. Never throws.</summary>
    public void Terminate()
    {
        try
        {
            _ = TerminateJobObject(_handle, 1);
        }
        catch (ObjectDisposedException)
        {
            // closed: closing killed what was in it
        }
    }

    /// <summary>Closes the job; whatever is still in it is killed.</summary>
    public void Dispose() => _handle.Dispose();

    [StructLayout(LayoutKind.Sequential)]
    private struct BasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public nuint MinimumWorkingSetSize;
        public nuint MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public nuint Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoCounters
    {
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedLimitInformation
    {
        public BasicLimitInformation BasicLimitInformation;
        public IoCounters IoInfo;
        public nuint ProcessMemoryLimit;
        public nuint JobMemoryLimit;
        public nuint PeakProcessMemoryUsed;
        public nuint PeakJobMemoryUsed;
    }

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern SafeFileHandle CreateJobObjectW(IntPtr jobAttributes, string? name);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool SetInformationJobObject(SafeFileHandle job, int infoClass, ref ExtendedLimitInformation info, uint length);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool AssignProcessToJobObject(SafeFileHandle job, IntPtr process);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool TerminateJobObject(SafeFileHandle job, uint exitCode);
}
