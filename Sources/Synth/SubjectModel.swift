import Foundation
import Store

/// Draws a subject's physiology and labels: demographics first, then blood pressure, disease
/// and mortality from their risk models, then the signal parameters that these drive
/// (docs/synth.md, "Subject model" holds every coefficient below with its reason).
public enum SubjectModel {
    /// Draws one subject's stable parameters from its own random stream.
    public static func draw(_ rng: inout SynthRandom, config: SynthConfig) -> Physiology {
        var p = Physiology()
        // MARK: Demographics and blood pressure
        p.age = rng.normal(56, 17, in: 18...92)
        p.sex = rng.bernoulli(0.5) ? .male : .female
        let male = p.sex == .male
        let aged = p.age - 50
        p.systolic = min(max(108 + 0.45 * (p.age - 20) + (male ? 5 : 0) + rng.normal(0, 15), 88), 210)
        p.diastolic = min(max(0.45 * p.systolic + 22 + rng.normal(0, 7), 50), 130)
        let hypertensive = p.systolic >= 140 || p.diastolic >= 90

        // MARK: Disease: age, sex and pressure tilt the class priors
        var w = config.ecgClassWeights
        let a60 = p.age - 60
        w[1] *= exp(0.045 * a60) * (hypertensive ? 1.3 : 1)
        w[2] *= exp(0.015 * a60)
        w[3] *= exp(0.03 * a60) * (male ? 1.3 : 0.75) * (hypertensive ? 1.3 : 1)
        w[4] *= exp(0.02 * a60)
        p.ecgClass = ECGClass(rawValue: Int8(rng.choose(w)))!
        let af = p.ecgClass == .atrialFibrillation, pvc = p.ecgClass == .prematureVentricular
        let mi = p.ecgClass == .myocardialInfarction, bbb = p.ecgClass == .bundleBranchBlock
        let pac = !af && !pvc && rng.bernoulli(config.atrialEctopyRate)
        p.ppgClass = af ? .atrialFibrillation : (pvc || pac) ? .ectopic : .normal

        // MARK: Mortality: logistic risk of age, disease and pressure
        var logit = -2.9 + 0.08 * a60 + 0.015 * (p.systolic - 130) + (male ? 0.25 : 0)
        logit += [0, 1.0, 0.5, 1.2, 0.6][Int(p.ecgClass.rawValue)]
        p.mortality = rng.bernoulli(1 / (1 + exp(-logit)))

        // MARK: Rhythm
        p.heartRate = min(max(rng.normal(68, 8) + (male ? 0 : 4) - 0.05 * aged + (af ? 14 : 0) + (mi ? 3 : 0), 45), 115)
        let hrvScale = (mi ? 0.7 : 1) * (hypertensive ? 0.85 : 1)
        p.lfAmplitude = 0.035 * exp(-(p.age - 20) / 45) * exp(rng.normal(0, 0.3)) * hrvScale
        p.rsaAmplitude = 0.03 * exp(-(p.age - 20) / 35) * exp(rng.normal(0, 0.35)) * hrvScale
        p.respirationRate = rng.normal(0.25, 0.04, in: 0.13...0.45)
        if af {
            p.afIrregularity = rng.uniform(0.05, 0.22)
            p.fWaveAmplitude = rng.uniform(0.01, 0.06)
            p.fWaveFrequency = rng.uniform(4.5, 7.5)
        }
        if pvc {
            p.pvcBurden = rng.uniform(0.03, 0.2)
            p.pvcCoupling = rng.uniform(0.55, 0.75)
            p.pvcAmplitude = (rng.bernoulli(0.6) ? 1 : -1) * rng.uniform(0.7, 1.6)
            p.pvcWidth = rng.uniform(0.028, 0.045)
            p.ectopicPulseRatio = rng.uniform(0.05, 0.4)
        }
        if pac {
            p.pacBurden = rng.uniform(0.05, 0.2)
            p.ectopicPulseRatio = rng.uniform(0.4, 0.8)
        }

        // MARK: ECG morphology
        p.pAmplitude = af ? 0 : rng.normal(0.12, 0.03, in: 0.04...0.25)
        p.pWidth = rng.normal(0.022, 0.003, in: 0.014...0.032)
        p.prInterval = rng.normal(0.16 + 0.0006 * aged, 0.018, in: 0.11...0.24)
        let miSeverity = mi ? rng.uniform(0.15, 1) : 0
        p.qAmplitude = -rng.normal(0.07, 0.035, in: 0...0.2) - miSeverity * rng.uniform(0.15, 0.4)
        p.qWidth = 0.010 + miSeverity * 0.008
        p.rAmplitude = (male ? 1.3 : 1.02) * (1 - 0.004 * aged) * exp(rng.normal(0, 0.22))
            * (hypertensive ? 1.12 : 1) * (1 - 0.3 * miSeverity)
        p.rWidth = rng.normal(0.0105 + (male ? 0.0008 : 0), 0.0018, in: 0.007...0.017)
        p.sAmplitude = -rng.normal(0.22, 0.1, in: 0.02...0.6)
        p.sWidth = rng.normal(0.011, 0.0015, in: 0.007...0.016)
        if bbb {
            let severity = rng.uniform(0.2, 1)   // incomplete to complete block
            p.rWidth += severity * rng.uniform(0.008, 0.016)
            p.sWidth += severity * rng.uniform(0.006, 0.014)
            p.rPrimeAmplitude = p.rAmplitude * severity * rng.uniform(0.25, 0.8)
            p.rPrimeDelay = 0.03 + severity * rng.uniform(0.015, 0.035)
        }
        p.stShift = mi ? (rng.bernoulli(0.6) ? 1 : -1) * miSeverity * rng.uniform(0.06, 0.22) : rng.normal(0, 0.03)
        p.tAmplitude = rng.normal(male ? 0.3 : 0.25, 0.08, in: 0.08...0.6)
        if mi && rng.bernoulli(0.5) { p.tAmplitude = -p.tAmplitude * rng.uniform(0.4, 1) }
        if bbb { p.tAmplitude *= rng.uniform(-0.6, 0.6) }
        p.tWidth = rng.normal(0.05, 0.007, in: 0.035...0.07)
        p.qtc = rng.normal((male ? 0.405 : 0.420) + 0.0006 * aged + (bbb ? 0.03 : 0) + (mi ? 0.015 : 0), 0.015)
        p.ecgRespBaseline = rng.uniform(0.02, 0.12)
        p.ecgRespModulation = rng.uniform(0.03, 0.15)
        p.ecgNoise = rng.uniform(0.006, 0.03)

        // MARK: Pulse arrival and PPG morphology
        p.pep = rng.normal(0.085 + (bbb ? 0.018 : 0) + (mi ? 0.01 : 0), 0.018, in: 0.045...0.16)
        p.pathLength = rng.normal(male ? 0.78 : 0.72, 0.06, in: 0.55...0.95)
        p.pwvReference = rng.normal(4.6 + 0.05 * (p.age - 20), 0.6, in: 3...11)
        p.riseTime = rng.normal(0.11 + 0.0008 * (p.age - 20) + (hypertensive ? 0.01 : 0), 0.015, in: 0.07...0.2)
        p.fallWidth = rng.normal(0.13, 0.015, in: 0.09...0.18)
        p.reflectionDistance = rng.normal(male ? 0.55 : 0.5, 0.04)
        p.reflectionRatio = rng.normal(0.22 + 0.005 * (p.age - 20) + 0.0015 * (p.systolic - 120), 0.06, in: 0.08...0.9)
        p.dicroticDelay = rng.normal(0.25, 0.02, in: 0.18...0.33)
        p.dicroticRatio = rng.normal(0.22 - 0.0025 * (p.age - 20), 0.04, in: 0.02...0.4)
        p.ppgGain = exp(rng.normal(male ? 0.1 : -0.1, 0.3))
        p.ppgOffset = rng.uniform(-1, 1)
        p.ppgRespBaseline = rng.uniform(0.05, 0.3)
        p.ppgRespModulation = rng.uniform(0.03, 0.15)
        p.ppgNoise = rng.uniform(0.005, 0.025)
        return p
    }
}
