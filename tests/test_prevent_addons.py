# ruff: noqa: E501  (coefficient tables: one model row per line)
"""PREVENT add-on models (UACR, HbA1c, full) against a second transcription and an
independent implementation."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.risk import as_input_values
from clinic_app.errors import CannotCompute
from tests.test_risk_new_models import model, outputs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
import build_prevent_addons as addons

# Transcription B: a public Python port of the AHA's R package AHAprevent, typed here in
# its own order: constant, then the non-zero terms in equation order (CVD/ASCVD: age,
# non-HDL, HDL, SBP<110, SBP≥110, diabetes, smoking, eGFR<60, eGFR≥60, BP treatment, statin,
# BP-treatment×SBP, statin×non-HDL, age×non-HDL, age×HDL, age×SBP, age×diabetes,
# age×smoking, age×eGFR; heart failure: age, SBP<110, SBP≥110, diabetes, smoking, BMI<30,
# BMI≥30, eGFR<60, eGFR≥60, BP treatment, BP-treatment×SBP, age×SBP, age×diabetes,
# age×smoking, age×BMI, age×eGFR), then the add-on terms (UACR: ln UACR, missing;
# HbA1c: with diabetes, without, missing; full: SDI 4-6, SDI 7-10, SDI missing, ln UACR,
# UACR missing, HbA1c with diabetes, without, missing).
B = {
    ("uacr", "female", "total_cvd"): [-3.738341, 0.7969249, 0.0256635, -0.1588107, -0.2255701, 0.3396649, 0.8047515, 0.5285338, 0.4803511, 0.0434472, 0.2985207, -0.1497787, -0.0742889, 0.106756, -0.0778126, 0.0306768, -0.0907168, -0.2705122, -0.0830564, -0.1389249, 0.1793037, 0.0132073],
    ("uacr", "female", "ascvd"): [-4.174614, 0.7201999, 0.1135771, -0.1493506, -0.0726677, 0.3436259, 0.7773094, 0.4746662, 0.3824646, 0.0394178, 0.2125182, -0.0603046, -0.0466053, 0.0733118, -0.0534262, 0.0325689, -0.0999887, -0.2411762, -0.0826941, -0.1444737, 0.1501217, 0.0050257],
    ("uacr", "female", "heart_failure"): [-4.841506, 0.9145975, -0.4441346, 0.3260323, 0.9611365, 0.5755787, 0.0008831, 0.2988964, 0.5915291, 0.0556823, 0.3314097, -0.1078596, -0.0875231, -0.356859, -0.1220248, -0.0053637, -0.1610389, 0.2197281, 0.0326667],
    ("uacr", "male", "total_cvd"): [-3.510705, 0.7768655, 0.0659949, -0.0951111, -0.420667, 0.3120151, 0.698521, 0.4314669, 0.3841364, 0.009384, 0.2676494, -0.1390966, -0.0579315, 0.1383719, -0.0488332, 0.0200406, -0.102454, -0.2236355, -0.089485, -0.1321848, 0.1887974, 0.0916979],
    ("uacr", "male", "ascvd"): [-3.85146, 0.7141718, 0.1602194, -0.1139086, -0.2719456, 0.3058719, 0.6600631, 0.3884022, 0.2466316, 0.0151852, 0.186167, -0.0894395, -0.0411884, 0.1058212, -0.028089, 0.0240427, -0.0912325, -0.2004894, -0.096936, -0.1022867, 0.1510073, 0.0556],
    ("uacr", "male", "heart_failure"): [-4.556907, 0.9111795, -0.6693649, 0.3290082, 0.8377655, 0.4978917, -0.042749, 0.3624165, 0.5075796, 0.0137716, 0.2739963, -0.0645712, -0.1230039, -0.3013297, -0.1410318, 0.0021531, -0.1548018, 0.2306299, 0.1472194],
    ("hba1c", "female", "total_cvd"): [-3.306162, 0.7858178, 0.0194438, -0.1521964, -0.2296681, 0.3465777, 0.5366241, 0.5411682, 0.5931898, 0.0472458, 0.3158567, -0.1535174, -0.0687752, 0.1054746, -0.0761119, 0.0307469, -0.0905966, -0.2241857, -0.080186, -0.1667286, 0.1338348, 0.1622409, -0.0142496],
    ("hba1c", "female", "ascvd"): [-3.838746, 0.7111831, 0.106797, -0.1425745, -0.0736824, 0.3480844, 0.5112951, 0.4880292, 0.4754997, 0.0438132, 0.2259093, -0.0648872, -0.0437645, 0.0697082, -0.0506382, 0.0327475, -0.0996442, -0.1924338, -0.0803539, -0.1682586, 0.1339055, 0.1596461, 0.0015678],
    ("hba1c", "female", "heart_failure"): [-4.288225, 0.8997391, -0.4422749, 0.3378691, 0.681284, 0.5886005, -0.0148657, 0.2958374, 0.73447, 0.05926, 0.3543475, -0.1002139, -0.0878765, -0.303684, -0.1178943, -0.008345, -0.1912183, 0.1856442, 0.1833083, -0.0143112],
    ("hba1c", "male", "total_cvd"): [-3.040901, 0.7699177, 0.0605093, -0.0888525, -0.417713, 0.3288657, 0.4759471, 0.4385663, 0.5334616, 0.0206431, 0.2917524, -0.1383313, -0.0482622, 0.1393796, -0.0463501, 0.0205926, -0.1037717, -0.1737697, -0.0915839, -0.1637039, 0.13159, 0.1295185, -0.0128373],
    ("hba1c", "male", "ascvd"): [-3.51835, 0.7064146, 0.1532267, -0.1082166, -0.2675288, 0.3173809, 0.432604, 0.3958842, 0.3665014, 0.0250243, 0.2061158, -0.0899988, -0.0334959, 0.1034168, -0.0255406, 0.0247538, -0.0917441, -0.1499195, -0.098089, -0.1305231, 0.1157161, 0.1288303, -0.0010001],
    ("hba1c", "male", "heart_failure"): [-3.961954, 0.911787, -0.6568071, 0.3524645, 0.5849752, 0.5014014, -0.0512352, 0.365294, 0.6892219, 0.0292377, 0.3038296, -0.0515032, -0.1262343, -0.2449514, -0.1392217, 0.0009592, -0.1917105, 0.1652857, 0.1505859, -0.0113444],
    ("full", "female", "total_cvd"): [-3.860385, 0.7716794, 0.0062109, -0.1547756, -0.1933123, 0.3071217, 0.496753, 0.466605, 0.4780697, 0.0529077, 0.3034892, -0.1556524, -0.0667026, 0.1061825, -0.0742271, 0.0288245, -0.0875188, -0.2267102, -0.0676125, -0.1493231, 0.1361989, 0.2261596, 0.1804508, 0.1645922, 0.0198413, 0.1298513, 0.1412555, -0.0031658],
    ("full", "female", "ascvd"): [-4.291503, 0.7023067, 0.0898765, -0.1407316, -0.0256648, 0.314511, 0.4799217, 0.4062049, 0.3847744, 0.0495174, 0.2133861, -0.0678552, -0.0451416, 0.0788187, -0.0535985, 0.0291762, -0.0961839, -0.2001466, -0.0586472, -0.1537791, 0.1413965, 0.228136, 0.1588908, 0.1371824, 0.0061613, 0.123192, 0.1410572, 0.005866],
    ("full", "female", "heart_failure"): [-4.896524, 0.884209, -0.421474, 0.3002919, 0.6170359, 0.5380269, -0.0191335, 0.2764302, 0.5975847, 0.0654197, 0.3313614, -0.1002304, -0.0845363, -0.2989062, -0.1111354, 0.0008104, -0.1666635, 0.1213034, 0.2314147, 0.1819138, 0.1948135, 0.0395368, 0.176668, 0.1614911, -0.0010583],
    ("full", "male", "total_cvd"): [-3.631387, 0.7847578, 0.0534485, -0.0911282, -0.4921973, 0.2972415, 0.4527054, 0.3726641, 0.3886854, 0.0081661, 0.2508052, -0.1538484, -0.0474695, 0.1415382, -0.0436455, 0.0199549, -0.1022686, -0.1762507, -0.0715873, -0.1428668, 0.0802431, 0.275073, 0.144759, 0.1772853, 0.1095674, 0.1165698, 0.1048297, -0.0230072],
    ("full", "male", "ascvd"): [-3.969788, 0.7128741, 0.1465201, -0.1125794, -0.3387216, 0.2980252, 0.399583, 0.3379111, 0.2582604, 0.0147769, 0.1686621, -0.1073619, -0.0381038, 0.1034169, -0.0228755, 0.0267453, -0.0897449, -0.1497464, -0.077206, -0.1198368, 0.0651121, 0.2676683, 0.1388492, 0.1375837, 0.0652944, 0.101282, 0.1092726, -0.0112852],
    ("full", "male", "heart_failure"): [-4.663513, 0.9095703, -0.6765184, 0.3111651, 0.5535052, 0.4326811, -0.0854286, 0.3551736, 0.5102245, 0.015472, 0.2570964, -0.0591177, -0.1219056, -0.2437577, -0.105363, 0.0037907, -0.1660207, 0.1106372, 0.3371204, 0.1694628, 0.2164607, 0.1702805, 0.148297, 0.1234088, -0.0234637],
}
B30 = {
    ("uacr", "female", "total_cvd"): [-1.583738, 0.5491768, -0.0937311, 0.0359847, -0.1642965, -0.1483404, 0.313353, 0.6253766, 0.3147172, 0.1094663, 0.0550705, 0.2782433, -0.0786239, -0.0628947, 0.093204, -0.0710685, 0.0306363, -0.0951455, -0.3168231, -0.1636391, -0.1265483, 0.1142251, -0.0055863],
    ("uacr", "female", "ascvd"): [-2.178888, 0.4629669, -0.0902777, 0.1215214, -0.1522069, 0.0092679, 0.3113609, 0.581256, 0.263167, 0.0391726, 0.0492959, 0.1786178, 0.0131058, -0.0325135, 0.0617093, -0.0489189, 0.0321079, -0.1003185, -0.2684574, -0.1547301, -0.1130703, 0.0903471, -0.0145818],
    ("uacr", "female", "heart_failure"): [-2.538952, 0.6319513, -0.1009284, -0.3787175, 0.2863393, 0.7631221, 0.3355843, 0.0677084, 0.2517238, 0.1940067, 0.0664006, 0.3171436, -0.0970661, -0.0896239, -0.400743, -0.2042041, -0.0054699, -0.13602, 0.1486028, 0.011608],
    ("uacr", "male", "total_cvd"): [-1.398727, 0.464491, -0.0998895, 0.0757606, -0.1031778, -0.1990714, 0.2715816, 0.4754637, 0.2069672, 0.0331103, 0.0540474, 0.2189911, -0.0331044, -0.04534, 0.1214535, -0.0483995, 0.0178997, -0.1059324, -0.2492861, -0.1561543, -0.1012429, 0.1007571, 0.0572456],
    ("uacr", "male", "ascvd"): [-1.873449, 0.3995607, -0.094557, 0.1686692, -0.1202145, -0.0555561, 0.2633566, 0.4362036, 0.1716233, -0.0775282, 0.0561236, 0.1319331, 0.0102428, -0.0269294, 0.0920557, -0.0297021, 0.0217935, -0.0893347, -0.2081467, -0.1542716, -0.0597254, 0.0684872, 0.0193962],
    ("uacr", "male", "heart_failure"): [-2.314872, 0.5750236, -0.1062268, -0.4633994, 0.2742874, 0.612208, 0.2614987, 0.0895459, 0.2632424, 0.1430472, 0.0535184, 0.2417468, -0.0498574, -0.1193827, -0.316651, -0.2046122, -0.0216878, -0.1165637, 0.1366452, 0.1078355],
    ("hba1c", "female", "total_cvd"): [-1.341059, 0.5343493, -0.0952314, 0.0298124, -0.1578451, -0.1504488, 0.3173368, 0.4314738, 0.3209399, 0.1771435, 0.0582828, 0.2888947, -0.0795886, -0.0600438, 0.0920598, -0.0696108, 0.0308807, -0.0954051, -0.2763408, -0.1623944, -0.1430514, 0.0940543, 0.1116486, -0.0024798],
    ("hba1c", "female", "ascvd"): [-2.011533, 0.4555574, -0.0903501, 0.1148321, -0.1458754, 0.0089323, 0.3139029, 0.386281, 0.2714309, 0.0930987, 0.0532216, 0.1862181, 0.0106964, -0.0329713, 0.0583609, -0.0463273, 0.0324717, -0.1004777, -0.2266944, -0.1541859, -0.1286005, 0.0875827, 0.1126417, 0.0124356],
    ("hba1c", "female", "heart_failure"): [-2.193553, 0.6210856, -0.1000972, -0.3773697, 0.295316, 0.5681692, 0.3449139, 0.0540094, 0.249767, 0.2875781, 0.0692013, 0.3334936, -0.0922339, -0.0907885, -0.3554646, -0.2008846, -0.0079611, -0.156803, 0.1448336, 0.1277838, -0.0022589],
    ("hba1c", "male", "total_cvd"): [-1.180767, 0.4519873, -0.101624, 0.0700456, -0.0968005, -0.1923527, 0.2827043, 0.3417152, 0.2105272, 0.1113291, 0.0640135, 0.2334248, -0.0299421, -0.0393204, 0.1228854, -0.0463737, 0.0184599, -0.1085744, -0.2208049, -0.1577978, -0.1179375, 0.0768169, 0.0777295, 0.0092204],
    ("hba1c", "male", "ascvd"): [-1.777708, 0.3883267, -0.0958114, 0.1613374, -0.1144418, -0.0474338, 0.2691281, 0.2859773, 0.1759553, -0.0242898, 0.0644523, 0.142874, 0.0115062, -0.02333, 0.0899664, -0.0275478, 0.022573, -0.090802, -0.1771894, -0.1548847, -0.0732754, 0.0591089, 0.0821158, 0.0179755],
    ("hba1c", "male", "heart_failure"): [-1.974999, 0.5703729, -0.1084544, -0.4471767, 0.2910152, 0.4507242, 0.259585, 0.0850676, 0.2637222, 0.2454706, 0.0675649, 0.2611991, -0.0408908, -0.1241051, -0.2849461, -0.2032308, -0.0239714, -0.138301, 0.1101184, 0.0949198, 0.0084192],
    ("full", "female", "total_cvd"): [-1.748475, 0.5073749, -0.0981751, 0.0162303, -0.1617147, -0.1111241, 0.282946, 0.4004069, 0.2918701, 0.1017102, 0.0622643, 0.2872416, -0.0768135, -0.0557282, 0.0917585, -0.0679131, 0.029076, -0.0907755, -0.2702118, -0.1373216, -0.1255864, 0.1067741, 0.1853138, 0.1567115, 0.1028065, -0.0006181, 0.0925285, 0.0975598, 0.0101713],
    ("full", "female", "ascvd"): [-2.314066, 0.4386739, -0.0921956, 0.0977728, -0.1453525, 0.0590925, 0.2862862, 0.3669136, 0.2354695, 0.0354338, 0.0573093, 0.1840085, 0.0117504, -0.0331945, 0.0664311, -0.0492826, 0.0288888, -0.0964709, -0.2279648, -0.120405, -0.1157635, 0.1107632, 0.1840367, 0.1308962, 0.0810739, -0.0147785, 0.0794709, 0.1002615, 0.017301],
    ("full", "female", "heart_failure"): [-2.642208, 0.5927507, -0.1028754, -0.3593781, 0.2628556, 0.5113472, 0.347344, 0.0564656, 0.2363857, 0.1971295, 0.0735227, 0.3219386, -0.0880321, -0.0863132, -0.3425359, -0.181405, 0.0031285, -0.1356989, 0.0847634, 0.18397, 0.1485802, 0.1273306, 0.0167008, 0.1378342, 0.1138832, 0.0138979],
    ("full", "male", "total_cvd"): [-1.504558, 0.4427595, -0.1064108, 0.0629381, -0.1015427, -0.2542326, 0.2549679, 0.333835, 0.1873833, 0.0246102, 0.0552014, 0.1979729, -0.0407714, -0.0365522, 0.1232822, -0.0441334, 0.0177865, -0.1046657, -0.2116113, -0.1277905, -0.0955922, 0.0256704, 0.1887637, 0.089241, 0.0894596, 0.0710124, 0.0676202, 0.063409, 0.0038783],
    ("full", "male", "ascvd"): [-1.985368, 0.3743566, -0.0995499, 0.1544808, -0.1215297, -0.1083968, 0.2555179, 0.2696998, 0.1628432, -0.077507, 0.0583407, 0.1120322, -0.0025063, -0.0256116, 0.0886745, -0.0254507, 0.0244639, -0.0869146, -0.165745, -0.1244714, -0.0624552, 0.015675, 0.1864231, 0.0845697, 0.0560171, 0.0252244, 0.0501422, 0.0722905, 0.0114945],
    ("full", "male", "heart_failure"): [-2.425439, 0.5478829, -0.1111928, -0.4547346, 0.2527602, 0.4385384, 0.2397952, 0.0640931, 0.2643081, 0.1354588, 0.0570689, 0.220666, -0.0436769, -0.1168376, -0.2730055, -0.1573691, -0.0174998, -0.1128676, 0.057746, 0.2446441, 0.1076782, 0.1233486, 0.1274796, 0.0985062, 0.0804844, 0.0022806],
}
CVD_TERMS = ["age", "nonhdl", "hdl", "sbp_lo", "sbp_hi", "dm", "smk", "egfr_lo", "egfr_hi",
             "bptx", "statin", "bptx_sbp", "statin_nonhdl", "age_nonhdl", "age_hdl", "age_sbp",
             "age_dm", "age_smk", "age_egfr"]
HF_TERMS = ["age", "sbp_lo", "sbp_hi", "dm", "smk", "bmi_lo", "bmi_hi", "egfr_lo", "egfr_hi",
            "bptx", "bptx_sbp", "age_sbp", "age_dm", "age_smk", "age_bmi", "age_egfr"]
EXTRA = {"uacr": ["ln_uacr", "uacr_missing"],
         "hba1c": ["a1c_dm", "a1c_nodm", "a1c_missing"],
         "full": ["sdi_mid", "sdi_high", "sdi_missing", "ln_uacr", "uacr_missing", "a1c_dm",
                  "a1c_nodm", "a1c_missing"]}


def b_row(variant: str, sex: str, outcome: str, horizon: str = "10y") -> dict[str, float]:
    terms = HF_TERMS if outcome == "heart_failure" else CVD_TERMS
    if horizon == "30y":
        terms = [terms[0], "age2", *terms[1:]]
    names = ["c", *terms, *EXTRA[variant]]
    row = (B if horizon == "10y" else B30)[variant, sex, outcome]
    assert len(row) == len(names), (variant, sex, outcome)
    return dict(zip(names, row, strict=True))


def oracle(variant: str, outcome: str, p: dict, horizon: str = "10y") -> float:
    """Plain-Python PREVENT add-on risk from transcription B (SDI missing; UACR and HbA1c
    given where the model uses them)."""
    c = b_row(variant, p["sex"], outcome, horizon)
    age = (p["age"] - 55) / 10
    nonhdl = (p["total_cholesterol"] - p["hdl_cholesterol"]) * 0.02586 - 3.5
    hdl = (p["hdl_cholesterol"] * 0.02586 - 1.3) / 0.3
    sbp_lo = (min(p["systolic_bp"], 110) - 110) / 20
    sbp_hi = (max(p["systolic_bp"], 110) - 130) / 20
    bmi_lo = (min(p["bmi"], 30) - 25) / 5
    bmi_hi = (max(p["bmi"], 30) - 30) / 5
    egfr_lo = (min(p["egfr"], 60) - 60) / -15
    egfr_hi = (max(p["egfr"], 60) - 90) / -15
    dm, smk = float(p["diabetes"]), float(p["smoker"])
    bptx, statin = float(p["bp_treated"]), float(p["statin"])
    x = {"age": age, "age2": age * age, "nonhdl": nonhdl, "hdl": hdl, "sbp_lo": sbp_lo, "sbp_hi": sbp_hi,
         "dm": dm, "smk": smk, "bmi_lo": bmi_lo, "bmi_hi": bmi_hi, "egfr_lo": egfr_lo,
         "egfr_hi": egfr_hi, "bptx": bptx, "statin": statin, "bptx_sbp": bptx * sbp_hi,
         "statin_nonhdl": statin * nonhdl, "age_nonhdl": age * nonhdl, "age_hdl": age * hdl,
         "age_sbp": age * sbp_hi, "age_dm": age * dm, "age_smk": age * smk,
         "age_bmi": age * bmi_hi, "age_egfr": age * egfr_lo,
         "sdi_mid": 0.0, "sdi_high": 0.0, "sdi_missing": 1.0, "uacr_missing": 0.0,
         "a1c_missing": 0.0}
    if "uacr" in p:
        x["ln_uacr"] = math.log(p["uacr"])
    if "hba1c" in p:
        x["a1c_dm"] = (p["hba1c"] - 5.3) * dm
        x["a1c_nodm"] = (p["hba1c"] - 5.3) * (1 - dm)
    lp = c["c"] + sum(v * x[k] for k, v in c.items() if k != "c")
    return 1 / (1 + math.exp(-lp))


EXAMPLE = {"age": 50, "sex": "female", "total_cholesterol": 200, "hdl_cholesterol": 45,
           "systolic_bp": 160, "bp_treated": True, "statin": False, "smoker": False,
           "diabetes": True, "egfr": 90, "bmi": 35, "known_cvd": False}
VARIANTS = ("uacr", "hba1c", "full")


@pytest.mark.parametrize("horizon", ["10y", "30y"])
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("sex", ["female", "male"])
@pytest.mark.parametrize("outcome", ["total_cvd", "ascvd", "heart_failure"])
def test_coefficients_agree_with_a_second_transcription(horizon, variant, sex, outcome):
    """Every coefficient of transcription A (the build script) equals transcription B."""
    a = addons.coefficients(variant, sex, outcome, horizon)
    a_nonzero = [a["constant"]] + [v for k, v in a.items() if k != "constant" and v != 0]
    assert a_nonzero == (B if horizon == "10y" else B30)[variant, sex, outcome]


@pytest.mark.parametrize("horizon", ["10y", "30y"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_shipped_worked_example_matches_the_oracle(horizon, variant):
    """The manifest's expected values are what transcription B's equations give."""
    extra = {c: addons.EXAMPLE_EXTRA[c] for c in addons.EXTRA_COLUMNS[variant]}
    got = outputs(f"prevent-{variant}-{horizon}", **EXAMPLE, **extra)
    for outcome, expected in addons.EXPECTED[horizon][variant].items():
        assert oracle(variant, outcome, {**EXAMPLE, **extra}, horizon) == pytest.approx(
            expected, abs=5e-6)
        assert got[outcome] == pytest.approx(expected, abs=5e-6)


patients = st.fixed_dictionaries({
    "age": st.integers(30, 79), "sex": st.sampled_from(["female", "male"]),
    "total_cholesterol": st.integers(130, 320), "hdl_cholesterol": st.integers(20, 100),
    "systolic_bp": st.integers(90, 200), "bp_treated": st.booleans(), "statin": st.booleans(),
    "smoker": st.booleans(), "diabetes": st.booleans(),
    "egfr": st.floats(15, 140), "bmi": st.floats(18.5, 39.9),
    "uacr": st.floats(0.1, 25000), "hba1c": st.floats(4.5, 15)})


@settings(max_examples=200, deadline=None)
@given(patients, st.sampled_from(VARIANTS), st.sampled_from(["10y", "30y"]))
def test_graph_equals_the_independent_implementation(p, variant, horizon):
    """On random patients, every outcome of the graph equals the plain-Python oracle."""
    p = {k: v for k, v in p.items()
         if k not in ("uacr", "hba1c") or k in addons.EXTRA_COLUMNS[variant]}
    if horizon == "30y":
        p["age"] = min(p["age"], 59)
    got = outputs(f"prevent-{variant}-{horizon}", **p, known_cvd=False)
    for outcome in ("total_cvd", "ascvd", "heart_failure"):
        assert got[outcome] == pytest.approx(oracle(variant, outcome, p, horizon), rel=1e-9,
                                             abs=1e-12)


def test_a_variant_without_its_extra_input_cannot_compute():
    """No UACR, no UACR model: a missing input is never defaulted (or taken as 'missing')."""
    with pytest.raises(CannotCompute, match=r"(?i)albumin"):
        model("prevent-uacr-10y").score(as_input_values(EXAMPLE))


def test_full_model_card_says_sdi_is_counted_missing():
    """The full model's card tells the reader SDI is not available and counted missing."""
    text = model("prevent-full-10y").manifest.raw["description"]
    assert "Social Deprivation Index" in text and "missing" in text


def test_uacr_outside_the_model_range_is_refused():
    """A UACR below 0.1 mg/g is outside the derivation range: refused, not clamped."""
    with pytest.raises(CannotCompute):
        model("prevent-uacr-10y").score(as_input_values({**EXAMPLE, "uacr": 0.05}))
