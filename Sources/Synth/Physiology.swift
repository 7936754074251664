import Store

/// The stable physiological parameters of one synthetic subject (docs/synth.md, "Subject model").
///
/// Drawn once per subject by `SubjectModel.draw` from the subject's own random stream; every
/// segment of the subject is rendered from these (plus small per-segment variation), which is
/// what makes re-identification meaningful. Times are in seconds, ECG amplitudes in mV, PPG
/// amplitudes in arbitrary units, pressures in mmHg.
public struct Physiology: Sendable, Hashable, Codable {
    // MARK: - Demographics and labels
    public var age: Double = 0
    public var sex: Sex = .female
    public var systolic: Double = 0
    public var diastolic: Double = 0
    public var ecgClass: ECGClass = .normal
    public var ppgClass: PPGClass = .normal
    public var mortality: Bool = false

    // MARK: - Rhythm (the RR process shared by ECG and PPG)
    /// Mean heart rate, beats per minute.
    public var heartRate: Double = 0
    /// Standard deviation of the low-frequency (≈0.1 Hz, Mayer wave) RR oscillation, s.
    public var lfAmplitude: Double = 0
    /// Amplitude of respiratory sinus arrhythmia (the high-frequency RR component), s.
    public var rsaAmplitude: Double = 0
    /// Breathing rate, Hz.
    public var respirationRate: Double = 0
    /// AF only: coefficient of variation of the irregular RR intervals.
    public var afIrregularity: Double = 0
    /// AF only: fibrillatory wave amplitude (mV) and frequency (Hz).
    public var fWaveAmplitude: Double = 0
    public var fWaveFrequency: Double = 0
    /// Probability that a sinus beat is followed by a premature ventricular beat (PVC class).
    public var pvcBurden: Double = 0
    /// PVC coupling interval as a fraction of the sinus RR.
    public var pvcCoupling: Double = 0
    /// Probability that a sinus beat is followed by a premature atrial beat.
    public var pacBurden: Double = 0

    // MARK: - ECG morphology (ECGSYN waves, timed relative to the R peak)
    public var pAmplitude: Double = 0
    public var pWidth: Double = 0
    /// P-wave centre to R peak, s.
    public var prInterval: Double = 0
    public var qAmplitude: Double = 0
    public var qWidth: Double = 0
    public var rAmplitude: Double = 0
    /// Gaussian σ of the R wave: QRS width ≈ 6σ.
    public var rWidth: Double = 0
    public var sAmplitude: Double = 0
    public var sWidth: Double = 0
    /// Bundle-branch block: the second (R′) deflection's amplitude, delay after R and σ.
    public var rPrimeAmplitude: Double = 0
    public var rPrimeDelay: Double = 0
    /// ST-segment shift (MI: elevation or depression), mV.
    public var stShift: Double = 0
    public var tAmplitude: Double = 0
    public var tWidth: Double = 0
    /// Heart-rate-corrected QT (Bazett), s: the beat's QT is `qtc·√RR`.
    public var qtc: Double = 0
    /// PVC beat morphology: amplitude (signed) and σ of the wide complex.
    public var pvcAmplitude: Double = 0
    public var pvcWidth: Double = 0
    /// Respiratory baseline wander (mV) and QRS amplitude modulation (fraction) of the ECG.
    public var ecgRespBaseline: Double = 0
    public var ecgRespModulation: Double = 0
    /// Measurement noise σ of the ECG, mV.
    public var ecgNoise: Double = 0

    // MARK: - PPG (pulse arrival and morphology)
    /// Pre-ejection period, s.
    public var pep: Double = 0
    /// Effective heart-to-finger path length, m.
    public var pathLength: Double = 0
    /// Pulse-wave velocity at 120 mmHg systolic, m/s; it rises exponentially with pressure.
    public var pwvReference: Double = 0
    /// Foot-to-systolic-peak time of the forward wave, s, and the σ of its fall.
    public var riseTime: Double = 0
    public var fallWidth: Double = 0
    /// Distance to the effective reflection site, m: the reflected wave returns 2·d/PWV later.
    public var reflectionDistance: Double = 0
    /// Reflected wave amplitude relative to the forward wave.
    public var reflectionRatio: Double = 0
    /// Dicrotic wave: delay after the systolic peak (s) and relative amplitude.
    public var dicroticDelay: Double = 0
    public var dicroticRatio: Double = 0
    /// Pulse amplitude and DC offset, arbitrary units.
    public var ppgGain: Double = 0
    public var ppgOffset: Double = 0
    /// Respiratory baseline wander and amplitude modulation of the PPG (fractions of the gain).
    public var ppgRespBaseline: Double = 0
    public var ppgRespModulation: Double = 0
    /// Pulse amplitude of an ectopic beat relative to a normal one (the pulse deficit).
    public var ectopicPulseRatio: Double = 0
    /// Measurement noise σ of the PPG, as a fraction of the gain.
    public var ppgNoise: Double = 0

    /// The labels stored for this subject.
    public var labels: SubjectLabels {
        SubjectLabels(age: Float(age), sex: sex, systolic: Float(systolic), diastolic: Float(diastolic),
                      hypertension: systolic >= 140 || diastolic >= 90, ecgClass: ecgClass,
                      ppgClass: ppgClass, mortality: mortality)
    }
}
